import Logging
import TagwayEventLog
import TagwayModel

/// Executes one retention pass: gathers the log's counts, asks the pure `RetentionPlan` what to
/// delete, deletes it in the plan's order, and reports. Never deletes an undelivered event
/// silently: each drop is counted, logged and in status. The `Forwarder` runs a pass when its
/// `RetentionSchedule` says one is due (the log changed, or an event crossed maxAge), at most
/// once per `interval`, with the current policy and sinks.
public struct RetentionKeeper: Sendable {
    public let policy: RetentionPolicy
    public let sinkIDs: [String]
    let log: EventLog
    let board: SinkStatusBoard
    let logger: Logger
    let metrics: OutboxMetrics
    let clock: @Sendable () -> Timestamp

    /// The least time between two passes, however often the log commits.
    public static let interval: Duration = .seconds(10)

    public init(policy: RetentionPolicy, sinkIDs: [String], log: EventLog, board: SinkStatusBoard, logger: Logger,
                metrics: OutboxMetrics = OutboxMetrics(), clock: @escaping @Sendable () -> Timestamp) {
        self.metrics = metrics
        self.policy = policy
        self.sinkIDs = sinkIDs
        self.log = log
        self.board = board
        self.logger = logger
        self.clock = clock
    }

    /// One pass; public for tests and `tagway` maintenance.
    public func pass() throws(EventLogError) {
        let now = clock()
        let deliveredThrough = RetentionPlan.deliveredThrough(sinkIDs: sinkIDs, cursors: try log.cursors(),
                                                              lastSeq: try log.lastSeq())
        let count = try log.extent().count
        let undelivered = try log.count(after: deliveredThrough)
        var (deliveredOverAge, undeliveredOverAge) = (0, 0)
        if let cutoff = RetentionPlan.cutoff(policy: policy, now: now) {
            undeliveredOverAge = try log.count(after: deliveredThrough, before: cutoff)
            deliveredOverAge = try log.count(after: 0, before: cutoff) - undeliveredOverAge
        }
        let plan = RetentionPlan.make(policy: policy, count: count, delivered: count - undelivered, deliveredThrough: deliveredThrough,
                                      deliveredOverAge: deliveredOverAge, undeliveredOverAge: undeliveredOverAge, now: now)
        try execute(plan)
    }

    /// How long until the oldest event a pass just kept crosses maxAge (nil: no age bound, or no
    /// event that will): the first event stamped at or after the cutoff, found through the log's
    /// time index. Events older than the cutoff that a pass kept are undelivered (`block`); they
    /// go after a cursor moves, which rings the schedule.
    public func nextAgeCrossing() async throws(EventLogError) -> Duration? {
        let now = clock()
        guard let cutoff = RetentionPlan.cutoff(policy: policy, now: now),
              let seq = try await log.readFirstSeq(since: cutoff),
              let oldest = try log.events(after: seq.saturatingSubtract(1), limit: 1).first else { return nil }
        return RetentionPlan.ageCrossing(policy: policy, oldestKept: oldest.time, now: now)
    }

    private func execute(_ plan: RetentionPlan) throws(EventLogError) {
        if let before = plan.pruneBefore {
            let pruned = try log.deleteEvents(through: plan.pruneThrough, before: before)
            if pruned > 0 { logger.info("retention: pruned \(pruned) delivered events older than maxAge") }
        }
        if plan.pruneOldestDelivered > 0 {
            let pruned = try log.deleteOldest(plan.pruneOldestDelivered, through: plan.pruneThrough)
            logger.info("retention: pruned \(pruned) delivered events over maxEvents")
        }
        var dropped = 0
        if plan.dropOldest > 0 { dropped += try log.deleteOldest(plan.dropOldest) }
        if let before = plan.dropBefore { dropped += try log.deleteEvents(through: Int64.max, before: before) }
        if let note = plan.overBound {
            if policy.policy == .dropOldest {
                logger.critical("retention: \(note); \(dropped) undelivered events deleted")
            } else {
                logger.warning("retention: \(note)")
            }
        }
        board.retention(note: plan.overBound, dropped: dropped)
        metrics.retention(overBound: plan.overBound != nil, dropped: dropped)
    }
}
