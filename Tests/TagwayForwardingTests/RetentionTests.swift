import Foundation
import Logging
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox

/// The retention keeper against a real log (the plan itself: TagwayDeliveryTests/RetentionPlanTests).
@Suite struct RetentionTests {
    let now = ISO8601Millis.parse("2026-11-26T00:00:00Z")!
    let quiet: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    func keeper(_ log: EventLog, _ policy: RetentionPolicy, board: SinkStatusBoard) -> RetentionKeeper {
        RetentionKeeper(policy: policy, sinkIDs: ["a", "b"], log: log, board: board, logger: quiet, clock: { now })
    }

    @Test func keeperPrunesDeliveredAndBlocksOnUndelivered() async throws {
        let dir = Fixture.temporaryDirectory("retention")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 100)
        try log.setCursor(sink: "a", seq: 80, at: now)
        try log.setCursor(sink: "b", seq: 60, at: now)
        let board = SinkStatusBoard()
        try keeper(log, RetentionPolicy(maxAge: .seconds(86_400), policy: .block), board: board).pass()
        #expect(try log.extent() == (40, 61), "delivered everywhere (seq <= 60) and old: pruned")
        #expect(board.retentionState.note?.contains("40 undelivered events older than maxAge") == true)
        #expect(board.retentionState.dropped == 0)
        #expect(try log.events(after: 0, limit: 1).first?.seq == 61)
    }

    @Test func keeperDropsOldestWhenToldAndCounts() async throws {
        let dir = Fixture.temporaryDirectory("retention-drop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 100)
        let board = SinkStatusBoard()
        try log.setCursor(sink: "a", seq: 20, at: now)
        try log.setCursor(sink: "b", seq: 50, at: now)
        try keeper(log, RetentionPolicy(maxEvents: 30, maxAge: nil, policy: .dropOldest), board: board).pass()
        #expect(try log.extent() == (30, 71))
        #expect(board.retentionState.dropped == 50, "20 were delivered everywhere and pruned; 50 undelivered dropped, counted")
        #expect(try log.lastSeq() == 100)
        // A seq is never reused after a drop (AUTOINCREMENT): cursors stay meaningful.
        let next = try await log.append([Fixture.event(1000)])
        #expect(next.first?.seq == 101)
    }

    @Test func cursorsOnlyMoveForward() throws {
        let dir = Fixture.temporaryDirectory("cursor")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try log.setCursor(sink: "a", seq: 50, at: now)
        try log.setCursor(sink: "a", seq: 20, at: now)
        #expect(try log.cursor(sink: "a") == 50)
        #expect(try log.cursor(sink: "never") == 0)
        #expect(try log.cursors() == ["a": 50])
    }
}
