import Foundation
import Logging
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox

@Suite struct RetentionTests {
    let now = ISO8601Millis.parse("2026-11-26T00:00:00Z")!
    let quiet: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    @Test func planPrunesOnlyWhatEverySinkHasDelivered() {
        let plan = RetentionPlan.make(policy: RetentionPolicy(maxAge: .seconds(3600)), count: 10, delivered: 7, deliveredThrough: 7,
                                      undeliveredOverAge: 0, now: now)
        #expect(plan.pruneThrough == 7)
        #expect(plan.pruneBefore == Timestamp(milliseconds: now.milliseconds - 3_600_000))
        #expect(plan.dropOldest == 0 && plan.dropBefore == nil && plan.overBound == nil)
    }

    @Test func blockKeepsEverythingAndSaysSo() {
        let plan = RetentionPlan.make(policy: RetentionPolicy(maxEvents: 5, maxAge: .seconds(60), policy: .block), count: 9,
                                      delivered: 0, deliveredThrough: 0, undeliveredOverAge: 4, now: now)
        #expect(plan.dropOldest == 0 && plan.dropBefore == nil)
        #expect(plan.overBound?.contains("4 undelivered over maxEvents 5; keeping them") == true)
        #expect(plan.overBound?.contains("4 undelivered events older than maxAge") == true)
    }

    @Test func dropOldestDropsTheExcess() {
        let plan = RetentionPlan.make(policy: RetentionPolicy(maxEvents: 5, maxAge: nil, policy: .dropOldest), count: 9,
                                      delivered: 0, deliveredThrough: 0, undeliveredOverAge: 0, now: now)
        #expect(plan.dropOldest == 4)
        #expect(plan.pruneBefore == nil)
    }

    @Test func overTheCountBoundDeliveredEventsGoFirst() {
        let plan = RetentionPlan.make(policy: RetentionPolicy(maxEvents: 5, maxAge: nil, policy: .block), count: 9,
                                      delivered: 3, deliveredThrough: 3, undeliveredOverAge: 0, now: now)
        #expect(plan.pruneOldestDelivered == 3)
        #expect(plan.dropOldest == 0)
        #expect(plan.overBound?.contains("1 undelivered over maxEvents 5") == true)
        let within = RetentionPlan.make(policy: RetentionPolicy(maxEvents: 5, maxAge: nil, policy: .dropOldest), count: 9,
                                        delivered: 6, deliveredThrough: 6, undeliveredOverAge: 0, now: now)
        #expect(within.pruneOldestDelivered == 4 && within.dropOldest == 0 && within.overBound == nil)
    }

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
