import CNATS
import Foundation
import TagwayDelivery
import TagwayModel
import TagwayRuntime
import TagwaySinks
import TagwaySite
@testable import TagwaySiteRunner

/// Two gateways' events as their JetStream sinks publish them, and what the pure view makes of them.
enum SiteScenario {
    static let site = "campus"
    static let settings = SiteSettings(handoverWindow: .seconds(60), reorderWindow: .seconds(2), gapTimeout: .seconds(5))

    /// `assets` assets, each: arrives at one gateway, departs it, then arrives at the other within
    /// the handover window (one cross-gateway `moved`); every fourth departs and is not seen again.
    /// All in the past (the last an hour ago), so every handover deadline has passed when the
    /// site applies them and no gateway's clock looks ahead.
    static func events(assets: Int) -> [MovementEvent] {
        let base = SystemClock.now().milliseconds - Int64(assets) * 100_000 - 3_600_000
        var seqs = ["dock-a": Int64(0), "store-b": Int64(0)]
        var out: [MovementEvent] = []
        var rng = SplitMix64(seed: 17)
        func event(_ type: EventType, _ gateway: String, _ asset: Int, _ t: Int64, from: String?, to: String?) {
            seqs[gateway, default: 0] += 1
            let time = Timestamp(milliseconds: t)
            out.append(MovementEvent(id: EventID.make(time: time, using: &rng), seq: seqs[gateway], type: type, time: time, gateway: gateway,
                                     asset: AssetRef(key: "urn:epc:id:giai:0614141.\(asset)", scheme: "giai", raw: "T\(asset)"),
                                     from: from, to: to))
        }
        for i in 0..<assets {
            let t = base + Int64(i) * 100_000
            let (g1, g2) = i % 2 == 0 ? ("dock-a", "store-b") : ("store-b", "dock-a")
            event(.arrived, g1, i, t, from: nil, to: "z1")
            event(.departed, g1, i, t + 10_000, from: "z1", to: nil)
            if i % 4 != 3 { event(.arrived, g2, i, t + 30_000, from: nil, to: "shelves") }
        }
        return out
    }

    /// The pure view's run: everything received at once, then time far ahead.
    static func expected(_ events: [MovementEvent]) -> (events: [String: [String]], picture: [String: SiteAssetState]) {
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
        let now = SystemClock.now()
        for event in events { carry(view.receive(event, at: now)) }
        carry(view.advance(to: now + .seconds(3)))
        carry(view.advance(to: now + .seconds(3_600)))
        return (Dictionary(grouping: published, by: \.asset.key).mapValues { $0.map(\.id) }, picture)
    }

    static func publish(_ events: [MovementEvent], to nats: SiteJetStream) throws {
        for event in events {
            try nats.publish(subject: JetStreamSubject.render(JetStreamSubject.defaultTemplate, event, site: site),
                             payload: Array(event.json.utf8), id: event.id)
        }
    }

    static func connect(_ servers: [String], replicas: Int = 1) throws -> SiteJetStream {
        let connection = try NATSConnection(options: JetStreamOptions(servers: servers, site: site,
                                                                      stream: JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"])))
        let nats = try SiteJetStream(connection: connection, wait: .seconds(5))
        try nats.ensureStream(JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"], replicas: replicas, duplicateWindow: .seconds(120)))
        return nats
    }

    /// The site events stream's messages: (Nats-Msg-Id, the event's asset key).
    static func siteStream(_ nats: SiteJetStream, name: String) -> [(id: String, asset: String)] {
        nats.readStream(name).compactMap { id, payload in
            guard case .success(let event) = GatewayEventDecoder.decode(payload) else { return nil }
            return (id ?? "", event.asset.key)
        }
    }
}
