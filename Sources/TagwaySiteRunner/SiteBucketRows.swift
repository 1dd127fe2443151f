import Foundation
import TagwayModel
import TagwaySite

/// How the site's picture and positions are written in the key-value bucket: one JSON row per
/// asset under `asset.<hex of the key>`, one per gateway log under `pos.<hex of the id>` (its log
/// without identity, as rows were written before logs had one) or `pos.<hex of the id>.<hex of
/// the log>` (the next `seq` to apply, and the log's generation: `LogPosition`), and one per site
/// sink under `cursor.<hex of the id>`. Keys are hex because
/// asset keys hold ':' and ids may hold what a bucket key may not; the JSON holds the real names.
enum SiteBucketRows {
    static let leaseKey = "lease"

    static func assetKey(_ key: String) -> String { "asset." + hex(key) }
    static func positionKey(_ log: GatewayLog) -> String {
        log.log.isEmpty ? "pos." + hex(log.gateway) : "pos." + hex(log.gateway) + "." + hex(log.log)
    }
    /// A site sink's cursor (`SiteEventStreamLog`): the last site event seq it confirmed.
    static func cursorKey(_ sink: String) -> String { "cursor." + hex(sink) }

    static func hex(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        for byte in text.utf8 {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    struct Row: Codable {
        var key: String
        var scheme: String
        var raw: String
        var gateway: String
        var zone: String
        var since: Int64
        var lastSeen: Int64
        var lastEventID: String
        var departureTime: Int64?
        var departureEventID: String?
        var episodes: UInt64
    }

    /// `log` and `generation` are absent in rows of releases before log identities (and in rows
    /// of logs without one): log "", generation 0.
    struct Position: Codable {
        var gateway: String
        var next: Int64
        var log: String?
        var generation: Int?
    }

    static func encode(_ state: SiteAssetState) -> [UInt8] {
        let row = Row(key: state.asset.key, scheme: state.asset.scheme, raw: state.asset.raw, gateway: state.location.gateway,
                      zone: state.location.zone, since: state.since.milliseconds, lastSeen: state.lastSeen.milliseconds,
                      lastEventID: state.lastEventID, departureTime: state.departure?.time.milliseconds,
                      departureEventID: state.departure?.eventID, episodes: state.episodes)
        return Array((try? JSONEncoder().encode(row)) ?? Data())
    }

    static func encode(_ log: GatewayLog, _ position: LogPosition) -> [UInt8] {
        let row = Position(gateway: log.gateway, next: position.next, log: log.log.isEmpty ? nil : log.log,
                           generation: position.generation == 0 ? nil : position.generation)
        return Array((try? JSONEncoder().encode(row)) ?? Data())
    }

    /// The bucket's rows as the site view restores them; rows that do not decode are reported.
    static func decode(_ entries: [String: [UInt8]]) -> (assets: [SiteAssetState], positions: [GatewayLog: LogPosition], unreadable: [String]) {
        var assets: [SiteAssetState] = []
        var positions: [GatewayLog: LogPosition] = [:]
        var unreadable: [String] = []
        let decoder = JSONDecoder()
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
            if key.hasPrefix("asset.") {
                guard let row = try? decoder.decode(Row.self, from: Data(value)) else { unreadable.append(key); continue }
                var departure: SiteAssetState.PendingDeparture?
                if let time = row.departureTime, let id = row.departureEventID {
                    departure = .init(time: Timestamp(milliseconds: time), eventID: id)
                }
                assets.append(SiteAssetState(asset: AssetRef(key: row.key, scheme: row.scheme, raw: row.raw),
                                             location: SiteLocation(gateway: row.gateway, zone: row.zone),
                                             since: Timestamp(milliseconds: row.since), lastSeen: Timestamp(milliseconds: row.lastSeen),
                                             lastEventID: row.lastEventID, departure: departure, episodes: row.episodes))
            } else if key.hasPrefix("pos.") {
                guard let position = try? decoder.decode(Position.self, from: Data(value)), position.next >= 1,
                      (position.generation ?? 0) >= 0 else {
                    unreadable.append(key)
                    continue
                }
                positions[GatewayLog(gateway: position.gateway, log: position.log ?? "")] =
                    LogPosition(next: position.next, generation: position.generation ?? 0)
            }
        }
        return (assets, positions, unreadable)
    }
}
