import Foundation
import GRDB
import Testing
import TagwayModel
import TagwayTestSupport
@testable import TagwayEventLog

/// Filtered pages of the log (`GET /v1/events?type=&zone=&asset=&since=`): the right rows, in
/// seq order, bounded by the limit, and SQL that uses the indexes instead of sorting the log.
@Suite struct EventFilterTests {
    static let base: Int64 = 1_764_000_000_000

    /// 60 events: asset `k<i % 3>`, type cycling arrived/moved/passed/departed, zones z<i % 4>
    /// (from z<(i+1) % 4> for moves), one second apart; the last one stamped early (a departure
    /// stamped when it fell due, written after later events).
    static func fill(_ log: EventLog) async throws {
        var rng = SystemRandomNumberGenerator()
        let types: [EventType] = [.arrived, .moved, .passed, .departed]
        var events: [MovementEvent] = []
        for i in 0..<60 {
            let time = Timestamp(milliseconds: base + Int64(i == 59 ? 10 : i) * 1000)
            let type = types[i % 4]
            events.append(MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: "gw",
                                        asset: AssetRef(key: "k\(i % 3)", scheme: "test", raw: "\(i)"),
                                        from: type == .moved ? "z\((i + 1) % 4)" : nil, to: "z\(i % 4)", readPoint: "p"))
        }
        _ = try await log.append(events)
    }

    /// The seqs (i + 1) of the events whose i passes `include`.
    static func seqs(where include: (Int) -> Bool) -> [Int64] {
        (0..<60).filter(include).map { Int64($0 + 1) }
    }

    func seqs(_ log: EventLog, after: Int64 = 0, limit: Int = 100, _ filter: EventFilter) async throws -> [Int64] {
        try await log.readPage(after: after, limit: limit, filter: filter) { $0.compactMap(\.seq) }
    }

    @Test func filtersCombineAndKeepSeqOrder() async throws {
        let dir = TestPaths.temporaryDirectory("filters")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Self.fill(log)
        // seq = i + 1.
        #expect(try await seqs(log, EventFilter()) == Array(1...60))
        #expect(try await seqs(log, EventFilter(asset: "k1")) == stride(from: 2, through: 59, by: 3).map(Int64.init))
        let movedOrDeparted = try await seqs(log, EventFilter(types: [.moved, .departed]))
        #expect(movedOrDeparted == Self.seqs(where: { $0 % 4 == 1 || $0 % 4 == 3 }))
        // Zone z2: to z2 (i % 4 == 2) or a move from z2 (i % 4 == 1: from z(i+1)%4 = z2).
        let z2 = try await seqs(log, EventFilter(zone: "z2"))
        #expect(z2 == Self.seqs(where: { $0 % 4 == 2 || $0 % 4 == 1 }))
        let all3 = try await seqs(log, EventFilter(types: [.passed], zone: "z2", asset: "k0"))
        #expect(all3 == Self.seqs(where: { $0 % 4 == 2 && $0 % 3 == 0 }))
        // Since the 50th second: seqs 51...59, not seq 60 (stamped at 10 s).
        let since = Timestamp(milliseconds: Self.base + 50_000)
        #expect(try await log.readFirstSeq(since: since) == 51)
        #expect(try await seqs(log, after: 50, EventFilter(since: since)) == Array(51...59))
        // And seq 60 is found by a since that covers it, though older seqs are later in time.
        let early = Timestamp(milliseconds: Self.base + 10_000)
        #expect(try await log.readFirstSeq(since: early) == 11)
        #expect(try await seqs(log, after: 10, EventFilter(since: early)).last == 60)
        #expect(try await log.readFirstSeq(since: Timestamp(milliseconds: Self.base + 3_600_000)) == nil)
        // The limit bounds the page; the next page goes on after its last seq.
        #expect(try await seqs(log, limit: 4, EventFilter(asset: "k2")) == [3, 6, 9, 12])
        #expect(try await seqs(log, after: 12, limit: 4, EventFilter(asset: "k2")) == [15, 18, 21, 24])
        #expect(try await seqs(log, EventFilter(asset: "nobody")) == [])
    }

    /// EXPLAIN QUERY PLAN of the SQL the pages run: indexes, and no sort of the matching rows.
    @Test func theQueriesUseTheIndexes() async throws {
        let dir = TestPaths.temporaryDirectory("filter-plans")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Self.fill(log)
        try log.close()
        let queue = try DatabaseQueue(path: dir + "/" + EventLog.fileName)
        func plan(_ sql: String, _ arguments: [DatabaseValue]) throws -> String {
            try queue.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments))
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        let since = Timestamp(milliseconds: Self.base)
        let byAsset = EventFilter(types: [.moved], asset: "k1", since: since).sql(after: 0, limit: 10)
        let assetPlan = try plan(byAsset.sql, byAsset.arguments)
        #expect(assetPlan.contains("USING INDEX events_by_asset (asset_key=? AND seq>?)") && !assetPlan.contains("TEMP B-TREE"), "\(assetPlan)")
        let byType = EventFilter(types: [.alert], zone: "z1", since: since).sql(after: 0, limit: 10)
        let typePlan = try plan(byType.sql, byType.arguments)
        #expect(typePlan.contains("USING INTEGER PRIMARY KEY (rowid>?)") && !typePlan.contains("TEMP B-TREE"), "\(typePlan)")
        let first = try plan(EventLog.firstSeqSQL, [since.milliseconds.databaseValue])
        #expect(first.contains("USING COVERING INDEX events_by_time (time_ms>?)"), "\(first)")
    }
}
