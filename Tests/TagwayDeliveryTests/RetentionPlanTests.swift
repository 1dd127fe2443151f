import Testing
import TagwayDelivery
import TagwayModel

/// What one retention pass deletes, from counts alone: the age prune, the count bound, the
/// overflow policy, and never past the slowest sink's cursor.
@Suite struct RetentionPlanTests {
    let now = ISO8601Millis.parse("2026-11-26T00:00:00Z")!

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
        #expect(plan.pruneThrough == 3, "the count prune, too, stays at or below the slowest cursor")
        #expect(plan.dropOldest == 0)
        #expect(plan.overBound?.contains("1 undelivered over maxEvents 5") == true)
        let within = RetentionPlan.make(policy: RetentionPolicy(maxEvents: 5, maxAge: nil, policy: .dropOldest), count: 9,
                                        delivered: 6, deliveredThrough: 6, undeliveredOverAge: 0, now: now)
        #expect(within.pruneOldestDelivered == 4 && within.dropOldest == 0 && within.overBound == nil)
    }

    @Test func theCountBoundAppliesToWhatTheAgePruneLeaves() {
        // 100 events, 60 delivered of which 30 are old: the age prune leaves 70, 20 over the bound
        // of 50, all of them delivered, so nothing undelivered is touched or reported.
        let plan = RetentionPlan.make(policy: RetentionPolicy(maxEvents: 50, maxAge: .seconds(60), policy: .dropOldest), count: 100,
                                      delivered: 60, deliveredThrough: 60, deliveredOverAge: 30, undeliveredOverAge: 0, now: now)
        #expect(plan.pruneBefore != nil)
        #expect(plan.pruneOldestDelivered == 20)
        #expect(plan.dropOldest == 0 && plan.overBound == nil)
        let tight = RetentionPlan.make(policy: RetentionPolicy(maxEvents: 20, maxAge: .seconds(60), policy: .dropOldest), count: 100,
                                       delivered: 60, deliveredThrough: 60, deliveredOverAge: 30, undeliveredOverAge: 0, now: now)
        #expect(tight.pruneOldestDelivered == 30 && tight.dropOldest == 20)
        #expect(tight.overBound?.contains("70 events in the log") == true)
    }

    @Test func theSlowestSinkDecidesWhatIsDelivered() {
        #expect(RetentionPlan.deliveredThrough(sinkIDs: ["a", "b"], cursors: ["a": 80, "b": 60], lastSeq: 100) == 60)
        #expect(RetentionPlan.deliveredThrough(sinkIDs: ["a", "new"], cursors: ["a": 80], lastSeq: 100) == 0,
                "a sink without a cursor has delivered nothing")
        #expect(RetentionPlan.deliveredThrough(sinkIDs: ["a"], cursors: ["a": 80, "removed": 5], lastSeq: 100) == 80,
                "a removed sink's cursor row holds nothing back")
        #expect(RetentionPlan.deliveredThrough(sinkIDs: [], cursors: ["old": 3], lastSeq: 100) == 100, "no sinks: age alone decides")
    }

    @Test func anAgeTooLongToCountMeansNothingIsOld() {
        let cutoff = RetentionPlan.cutoff(policy: RetentionPolicy(maxAge: .seconds(Int64.max / 2)), now: now)
        #expect(cutoff.map { $0.milliseconds < 0 } == true, "before the epoch: no event is that old")
        #expect(RetentionPlan.cutoff(policy: RetentionPolicy(maxAge: nil), now: now) == nil)
    }
}
