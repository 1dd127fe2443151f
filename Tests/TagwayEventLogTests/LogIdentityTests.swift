import Foundation
import GRDB
import Testing
import TagwayModel
import TagwayTestSupport
@testable import TagwayEventLog

/// The log's identity (issue 17): made with the log, kept across opens, new for a recreated
/// log, and given once to a log of an earlier release at its first open.
@Suite struct LogIdentityTests {
    static func event(_ i: Int) -> MovementEvent {
        MovementEvent(id: "ev-\(i)-\(UUID().uuidString.prefix(8))", type: .arrived, time: Timestamp(milliseconds: 1_000 + Int64(i)),
                      gateway: "gw", asset: AssetRef(key: "a\(i)", scheme: "giai", raw: "a\(i)"), to: "z")
    }

    @Test func aNewLogHasAUUIDKeptAcrossOpens() async throws {
        let dir = TestPaths.temporaryDirectory("log-identity")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        #expect(UUID(uuidString: log.identity) != nil, "\(log.identity)")
        _ = try await log.append([Self.event(1)])
        let identity = log.identity
        try log.close()
        let reopened = try EventLog(directory: dir, durability: .normal)
        #expect(reopened.identity == identity)
        #expect(try EventLog.openExisting(directory: dir).identity == identity)
        try reopened.close()
    }

    @Test func aRecreatedLogGetsANewIdentityAndNumbersFromOne() async throws {
        let dir = TestPaths.temporaryDirectory("log-identity-recreated")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try EventLog(directory: dir, durability: .normal)
        _ = try await first.append([Self.event(1), Self.event(2)])
        let old = first.identity
        try first.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dir + "/" + EventLog.fileName + suffix) }
        let second = try EventLog(directory: dir, durability: .normal)
        let stored = try await second.append([Self.event(3)])
        #expect(stored.first?.seq == 1)
        #expect(second.identity != old)
        #expect(UUID(uuidString: second.identity) != nil)
        try second.close()
    }

    @Test func aLogOfTheEarlierReleaseGetsOneAtItsFirstOpenAndKeepsIt() throws {
        let dir = try AssetStateMigrationTests.v3Directory("identity")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try DatabaseQueue(path: dir + "/" + EventLog.fileName).read {
            try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = ?", arguments: [EventLog.identityMetaKey])
        }
        #expect(before == nil)
        let log = try EventLog(directory: dir, durability: .normal)
        let identity = log.identity
        #expect(UUID(uuidString: identity) != nil)
        try log.close()
        #expect(try EventLog(directory: dir, durability: .normal).identity == identity)
    }
}
