import Foundation
import GRDB
import Testing
import TagwayModel
import TagwayTestSupport
@testable import TagwayEventLog

/// A log written by the previous release (schema v3, no `assets` rows) gets its asset state
/// rebuilt once from its events when it is first opened (issue 11); fresh logs, logs that
/// already hold the state, and damaged events are handled without a rebuild or a trap.
@Suite struct AssetStateMigrationTests {
    static var fixture: String { Bundle.module.path(forResource: "v3-release", ofType: "sqlite", inDirectory: "Fixtures")! }

    /// A temp data dir holding a copy of the v3 fixture as its events.sqlite.
    static func v3Directory(_ label: String) throws -> String {
        let dir = TestPaths.temporaryDirectory("v3-" + label)
        try FileManager.default.copyItem(atPath: fixture, toPath: dir + "/" + EventLog.fileName)
        return dir
    }

    static func sql(_ dir: String, _ statement: String) throws {
        let queue = try DatabaseQueue(path: dir + "/" + EventLog.fileName)
        try queue.write { try $0.execute(sql: statement) }
    }

    static func metaState(_ dir: String) throws -> String? {
        let queue = try DatabaseQueue(path: dir + "/" + EventLog.fileName)
        return try queue.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'asset-state'") }
    }

    /// The state the fixture's events imply, computed here with SQL and no code of the log: per
    /// asset whose newest arrived/moved/departed is not a departure, the zone and time of its
    /// newest arrived/moved; the read point of its newest arrived/moved/passed since; its newest
    /// event's time; the direction of its last crossing since; the rules alerted on since.
    struct Expected: Hashable, CustomStringConvertible {
        var key: String, zone: String, since: Int64, readPoint: String, lastRead: Int64, side: String?, episodes: [String]
        var description: String { "\(key) \(zone) since \(since) at \(readPoint) last \(lastRead) side \(side ?? "-") \(episodes)" }
    }

    static func expected(_ dir: String) throws -> [Expected] {
        let queue = try DatabaseQueue(path: dir + "/" + EventLog.fileName)
        return try queue.read { db in
            let placed = try Row.fetchAll(db, sql: """
                SELECT e.asset_key, e.to_zone, e.time_ms, e.read_point, e.seq FROM events e
                WHERE e.seq = (SELECT MAX(seq) FROM events WHERE asset_key = e.asset_key AND type IN ('arrived', 'moved', 'departed'))
                  AND e.type != 'departed'
                ORDER BY e.asset_key
                """)
            return try placed.map { row in
                let key: String = row[0], seq: Int64 = row[4]
                let last = try Int64.fetchOne(db, sql: "SELECT MAX(time_ms) FROM events WHERE asset_key = ?", arguments: [key]) ?? 0
                let point = try String.fetchOne(db, sql: """
                    SELECT read_point FROM events WHERE asset_key = ? AND type IN ('arrived', 'moved', 'passed') AND seq >= ?
                    ORDER BY seq DESC LIMIT 1
                    """, arguments: [key, seq]) ?? ""
                let direction = try String.fetchOne(db, sql: """
                    SELECT direction FROM events WHERE asset_key = ? AND type = 'passed' AND seq > ? ORDER BY seq DESC LIMIT 1
                    """, arguments: [key, seq])
                let rules = try String.fetchAll(db, sql: """
                    SELECT rule FROM events WHERE asset_key = ? AND type = 'alert' AND seq > ? GROUP BY rule ORDER BY MIN(seq)
                    """, arguments: [key, seq])
                return Expected(key: key, zone: row[1], since: row[2], readPoint: point, lastRead: last,
                                side: direction.map { $0 == "in" ? "inside" : "outside" }, episodes: rules)
            }
        }
    }

    @Test func theReleaseFixtureMigratesAndItsRowsAreTheFoldOfItsEvents() throws {
        let dir = try Self.v3Directory("fixture")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let want = try Self.expected(dir)
        #expect(want.count >= 3, "the fixture must leave assets present")
        let log = try EventLog(directory: dir)
        let snapshot = try log.assetStates()
        let got = snapshot.records.map {
            Expected(key: $0.asset.key, zone: $0.zone, since: $0.since.milliseconds, readPoint: $0.readPoint,
                     lastRead: $0.lastRead.milliseconds, side: $0.doorSide?.rawValue, episodes: $0.episodes)
        }.sorted { $0.key < $1.key }
        #expect(got == want)
        #expect(snapshot.lastSeq == 49)
        #expect(snapshot.records.allSatisfy { $0.seq == 49 })
        #expect(try Self.metaState(dir) == "v4")
        // The events are untouched by the migration.
        #expect(try log.events(after: 0, limit: 1_000).count == 49)
    }

    @Test func theRebuildRunsOnceAndAStateWithNoRowsIsKept() throws {
        let dir = try Self.v3Directory("once")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { _ = try EventLog(directory: dir) }
        // Rows deleted after the rebuild (every asset departed, say): the meta row says the table
        // holds the state, so the next open rebuilds nothing.
        try Self.sql(dir, "DELETE FROM assets")
        let reopened = try EventLog(directory: dir)
        #expect(try reopened.assetStates().records.isEmpty)
    }

    @Test func aFreshLogStartsWithTheStateMarkedAndNoRows() throws {
        let dir = TestPaths.temporaryDirectory("fresh")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        #expect(try log.assetStates().records.isEmpty)
        #expect(try log.assetStates().lastSeq == 0)
        #expect(try Self.metaState(dir) == "v4")
    }

    @Test func aDamagedEventStopsTheOpenWithATypedErrorAndWritesNoState() throws {
        let dir = try Self.v3Directory("damaged")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seq = try DatabaseQueue(path: dir + "/" + EventLog.fileName).read {
            try Int64.fetchOne($0, sql: "SELECT MAX(seq) FROM events WHERE type = 'arrived'")!
        }
        try Self.sql(dir, "UPDATE events SET to_zone = NULL WHERE seq = \(seq)")
        let error = #expect(throws: EventLogError.self) { _ = try EventLog(directory: dir) }
        guard case .corruptRow(let bad, _)? = error else {
            Issue.record("expected corruptRow, got \(String(describing: error))")
            return
        }
        #expect(bad == seq)
        // Nothing half-written: no meta row, no rows; the next open fails the same way.
        #expect(try Self.metaState(dir) == nil)
        #expect(try DatabaseQueue(path: dir + "/" + EventLog.fileName).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM assets") } == 0)
        #expect(throws: EventLogError.self) { _ = try EventLog(directory: dir) }
    }

    @Test func aFoldOfEventsWithoutAZoneIsATypedError() {
        let event = MovementEvent(id: "x", seq: 7, type: .arrived, time: Timestamp(milliseconds: 1), gateway: "g",
                                  asset: AssetRef(key: "em4100:0100E2850E", scheme: "em4100", raw: "0100E2850E"), readPoint: "p")
        let error = #expect(throws: EventLogError.self) { _ = try AssetStateRebuild.fold([event], lastSeq: 7) }
        guard case .corruptRow(7, let message)? = error else {
            Issue.record("expected corruptRow of seq 7, got \(String(describing: error))")
            return
        }
        #expect(message.contains("to_zone is NULL"))
    }

    @Test func identitiesAreRecoveredAsTheEngineKeysThem() {
        func identity(_ scheme: String, _ raw: String, symbology: String? = nil) -> (TagID, Bool, String?)? {
            let e = MovementEvent(id: "x", type: .arrived, time: Timestamp(milliseconds: 1), gateway: "g",
                                  asset: AssetRef(key: "k", scheme: scheme, raw: raw), to: "z", symbology: symbology)
            return AssetStateRebuild.identity(of: e).map { ($0.tag, $0.isScan, $0.technology) }
        }
        #expect(identity("em4100", "0100E2850E").map { "\($0.0.bytes) \($0.1) \($0.2 ?? "-")" } == "[1, 0, 226, 133, 14] false em4100")
        #expect(identity("giai", "3414257BF40000000000303A")?.2 == "epc-gen2")
        #expect(identity("iso14443a", "04A1B2C3D4E5F6")?.2 == "iso14443a")
        // A scan: symbology, NUL, the unescaped data (GS is \x1D in the raw text).
        #expect(identity("gs1", "8004\\x1D12", symbology: "]C1")?.0.bytes == Array("]C1".utf8) + [0] + Array("8004".utf8) + [0x1D] + Array("12".utf8))
        #expect(identity("barcode", "ABC")?.0.bytes == [0] + Array("ABC".utf8))
        // The documented ambiguity: an EPC-scheme barcode without a symbology, raw not hex.
        #expect(identity("giai", "8004061414112345X") == nil)
    }
}
