import TagwayModel

/// Everything one retention pass deletes, decided from counts alone (pure, tested); the keeper
/// gathers the counts, then executes the plan's steps in order.
///
/// The rules: delivered events (at or below the slowest sink's cursor) go once older than
/// `maxAge`; over `maxEvents`, the oldest delivered go next, whatever their age; only what is
/// still over the bound is undelivered, and the policy decides about that (`block` keeps it and
/// says so, `drop-oldest` deletes it, counted). Nothing past the slowest cursor is ever pruned
/// as "delivered".
public struct RetentionPlan: Sendable, Hashable {
    /// Everything at or below this seq is delivered to every sink; steps 1 and 2 stay at or below it.
    /// Step 1, the age prune: delete delivered events older than `pruneBefore`.
    public var pruneThrough: Int64 = 0
    public var pruneBefore: Timestamp?
    /// Step 2: delete this many of the oldest delivered events, whatever their age (over the count bound).
    public var pruneOldestDelivered = 0
    /// Step 3: delete this many of the oldest undelivered events (drop-oldest over the count bound).
    public var dropOldest = 0
    /// Step 4: delete undelivered events older than this (drop-oldest over the age bound).
    public var dropBefore: Timestamp?
    /// Set when the log is over its bound: the log line and status note.
    public var overBound: String?

    /// The seq through which every sink has delivered: the smallest cursor (a sink the log has no
    /// cursor for is at 0). With no sinks the pull API is the only reader; it keeps no cursor,
    /// so everything counts as delivered and age alone decides.
    public static func deliveredThrough(sinkIDs: [String], cursors: [String: Int64], lastSeq: Int64) -> Int64 {
        guard !sinkIDs.isEmpty else { return lastSeq }
        return sinkIDs.map { cursors[$0] ?? 0 }.min() ?? 0
    }

    /// Events older than this are over `maxAge`; nil when age is not bounded.
    public static func cutoff(policy: RetentionPolicy, now: Timestamp) -> Timestamp? {
        policy.maxAge.map { Timestamp(milliseconds: now.milliseconds.saturatingSubtract($0.wholeMilliseconds)) }
    }

    /// How long after `now` the event stamped `oldestKept` is over `maxAge` (a millisecond past
    /// the bound, so the pass then finds it older than the cutoff): the retention schedule's
    /// deadline. Nil without an age bound or without an event.
    public static func ageCrossing(policy: RetentionPolicy, oldestKept: Timestamp?, now: Timestamp) -> Duration? {
        guard let maxAge = policy.maxAge, let oldestKept else { return nil }
        let crosses = oldestKept.milliseconds.saturatingAdd(maxAge.wholeMilliseconds).saturatingAdd(1)
        return .milliseconds(max(0, crosses.saturatingSubtract(now.milliseconds)))
    }

    /// `count` events in the log, `delivered` of them at or below `deliveredThrough`,
    /// `deliveredOverAge` of those and `undeliveredOverAge` after it older than the cutoff (all
    /// counted before anything is deleted). The count bound is applied to what the age prune leaves.
    public static func make(policy: RetentionPolicy, count: Int, delivered: Int, deliveredThrough: Int64,
                            deliveredOverAge: Int = 0, undeliveredOverAge: Int, now: Timestamp) -> RetentionPlan {
        var plan = RetentionPlan()
        plan.pruneThrough = deliveredThrough
        let cutoff = cutoff(policy: policy, now: now)
        var (count, delivered) = (count, delivered)
        if let cutoff {
            plan.pruneBefore = cutoff
            let aged = min(max(0, deliveredOverAge), max(0, delivered))
            count -= aged
            delivered -= aged
        }
        var notes: [String] = []
        if let maxEvents = policy.maxEvents, count > maxEvents {
            let excess = count - maxEvents
            plan.pruneOldestDelivered = min(excess, max(0, delivered))
            let undelivered = excess - plan.pruneOldestDelivered
            if undelivered > 0 {
                switch policy.policy {
                case .block:
                    notes.append("\(count) events in the log, \(undelivered) undelivered over maxEvents \(maxEvents); keeping them (policy block)")
                case .dropOldest:
                    plan.dropOldest = undelivered
                    notes.append("\(count) events in the log, over maxEvents \(maxEvents); dropping the \(undelivered) oldest undelivered (policy drop-oldest)")
                }
            }
        }
        if undeliveredOverAge > 0, let cutoff {
            switch policy.policy {
            case .block: notes.append("\(undeliveredOverAge) undelivered events older than maxAge; keeping them (policy block)")
            case .dropOldest:
                plan.dropBefore = cutoff
                notes.append("\(undeliveredOverAge) undelivered events older than maxAge; dropping them (policy drop-oldest)")
            }
        }
        plan.overBound = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return plan
    }
}
