import Logging
import TagwayEventLog
import TagwayModel

/// Applies the retention policy to the log every `interval`: prunes what every sink has
/// delivered once it is old enough, and handles an over-full log by the configured policy.
/// Never deletes an undelivered event silently: each drop is counted, logged and in status.
public struct RetentionKeeper: Sendable {
    public let policy: RetentionPolicy
    public let sinkIDs: [String]
    let log: EventLog
    let board: SinkStatusBoard
    let logger: Logger
    let metrics: OutboxMetrics
    let clock: @Sendable () -> Timestamp

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

    public func run(interval: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            do { try pass() } catch { logger.error("retention: \(error)") }
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass; public for tests and `tagway` maintenance.
    public func pass() throws(EventLogError) {
        let now = clock()
        let cursors = try log.cursors()
        // With no sinks the pull API is the only reader; it keeps no cursor, so age alone decides.
        let deliveredThrough = sinkIDs.isEmpty ? try log.lastSeq() : sinkIDs.map { cursors[$0] ?? 0 }.min() ?? 0
        // Age first: delivered events past maxAge go whatever else the plan says.
        if let age = policy.maxAge {
            let pruned = try log.deleteEvents(through: deliveredThrough, before: Timestamp(milliseconds: now.milliseconds - age.wholeMilliseconds))
            if pruned > 0 { logger.info("retention: pruned \(pruned) delivered events older than maxAge") }
        }
        let count = try log.extent().count
        let undelivered = try log.count(after: deliveredThrough)
        let overAge = try policy.maxAge.map { age throws(EventLogError) in
            try log.count(after: deliveredThrough, before: Timestamp(milliseconds: now.milliseconds - age.wholeMilliseconds))
        } ?? 0
        let plan = RetentionPlan.make(policy: policy, count: count, delivered: count - undelivered, deliveredThrough: deliveredThrough,
                                      undeliveredOverAge: overAge, now: now)
        if plan.pruneOldestDelivered > 0 {
            let pruned = try log.deleteOldest(plan.pruneOldestDelivered, through: deliveredThrough)
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
