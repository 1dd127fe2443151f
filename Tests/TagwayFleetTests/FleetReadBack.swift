import CNATS
import Foundation
import TagwayConfig
import TagwayDelivery
import TagwayEventLog
import TagwayModel
import TagwayRuntime
import TagwaySinks
import TagwaySite
@testable import TagwaySiteRunner

/// What the fleet test reads back and what it compares it with: the gateways' stream (each
/// message's `Nats-Msg-Id` and gateway), each gateway's SQLite log, the site's bucket and site
/// events stream, and the pure `SiteView` over the gateways' logs (the same scenario without
/// faults: every event received once, in one batch, then time far ahead).
enum FleetReadBack {
    /// A client for reading, connected to `servers` (libnats' reconnect is off in the sink's
    /// connection options, so a client made before a server was killed is made again after).
    static func connect(_ servers: [String]) throws -> SiteJetStream {
        let connection = try NATSConnection(options: JetStreamOptions(servers: servers, site: FleetScenario.site,
                                                                      stream: JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"])))
        return try SiteJetStream(connection: connection, wait: .seconds(5))
    }

    /// The server name (`n1`…) of `stream`'s leader.
    static func leader(of stream: String, _ nats: SiteJetStream) -> String? {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        guard js_GetStreamInfo(&info, nats.js, stream, nil, &code) == NATS_OK, let info else { return nil }
        defer { jsStreamInfo_Destroy(info) }
        return info.pointee.Cluster?.pointee.Leader.map { String(cString: $0) }
    }

    /// The process id of the site process that holds the lease (its row's owner is `host:pid`).
    static func leaseHolder(_ nats: SiteJetStream, _ config: SiteConfiguration) throws -> Int32? {
        try nats.openBucket(config.bucket.name, replicas: config.bucket.replicas)
        guard let row = try nats.get(SiteBucketRows.leaseKey),
              let object = try? JSONSerialization.jsonObject(with: Data(row.value)) as? [String: Any],
              let owner = object["owner"] as? String, let pid = owner.split(separator: ":").last else { return nil }
        return Int32(pid)
    }

    /// Per gateway, the `Nats-Msg-Id`s of its messages in the gateways' stream, in stream order
    /// (the gateway is the subject's third token, `tagway.{site}.{gateway}.{type}`), and how many
    /// messages had no id.
    static func streamIDs(_ nats: SiteJetStream) -> (byGateway: [String: [String]], withoutID: Int) {
        var out: [String: [String]] = [:]
        var withoutID = 0
        for message in nats.readStream("TAGWAY") {
            guard let id = message.id else { withoutID += 1; continue }
            guard case .success(let event) = GatewayEventDecoder.decode(message.payload) else { continue }
            out[event.gateway, default: []].append(id)
        }
        return (out, withoutID)
    }

    /// Every event of the gateway log in `directory`, in `seq` order (read beside the running gateway).
    static func logged(_ directory: String) throws -> [MovementEvent] {
        try EventLog.openExisting(directory: directory).events(after: 0, limit: 1_000_000)
    }

    /// What the site wrote: per asset the site events' ids in the site stream, every id, and the bucket's picture.
    struct Written: Sendable {
        var events: [String: [String]] = [:]
        var ids: [String] = []
        var picture: [String: SiteAssetState] = [:]
    }

    static func written(_ nats: SiteJetStream, _ config: SiteConfiguration) throws -> Written {
        var out = Written()
        for message in nats.readStream(config.events.stream.name) {
            guard case .success(let event) = GatewayEventDecoder.decode(message.payload) else { continue }
            out.events[event.asset.key, default: []].append(message.id ?? "")
            out.ids.append(message.id ?? "")
        }
        try nats.openBucket(config.bucket.name, replicas: config.bucket.replicas)
        let rows = SiteBucketRows.decode(try nats.entries())
        out.picture = Dictionary(uniqueKeysWithValues: rows.assets.map { ($0.asset.key, $0) })
        return out
    }

    /// The pure view over every gateway's logged events: all received at once, after the last of
    /// them, then time far ahead (every handover window passed). Per asset the site events' ids,
    /// and the picture.
    static func expected(_ logs: [[MovementEvent]], settings: SiteSettings) -> (events: [String: [String]], picture: [String: SiteAssetState]) {
        var view = SiteView(settings: settings)
        var published: [SiteEvent] = []
        var picture: [String: SiteAssetState] = [:]
        func carry(_ output: SiteOutput) {
            for change in output.changes {
                switch change {
                case .event(let e): published.append(e)
                case .put(let state): picture[state.asset.key] = state
                case .delete(let key): picture[key] = nil
                }
            }
        }
        let all = logs.joined()
        let now = all.map(\.time).max() ?? SystemClock.now()
        for event in all { carry(view.receive(event, at: now)) }
        carry(view.advance(to: now + settings.reorderWindow + .seconds(1)))
        carry(view.advance(to: now + .seconds(3_600)))
        return (Dictionary(grouping: published, by: \.asset.key).mapValues { $0.map(\.id) }, picture)
    }
}
