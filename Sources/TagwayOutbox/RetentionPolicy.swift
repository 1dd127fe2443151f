import TagwayModel

/// How much of the log is kept, and what happens when undelivered events exceed that.
public struct RetentionPolicy: Sendable, Hashable {
    public enum OverflowPolicy: String, Sendable, CaseIterable {
        /// Keep every undelivered event; raise a log line and a status flag.
        case block
        /// Delete the oldest events beyond the bound, counted and logged as an alert.
        case dropOldest = "drop-oldest"
    }

    /// Most events kept in the log (nil: no bound on the count).
    public var maxEvents: Int?
    /// Age after which delivered events are pruned, and beyond which undelivered ones are over the bound.
    public var maxAge: Duration?
    public var policy: OverflowPolicy

    public init(maxEvents: Int? = nil, maxAge: Duration? = .seconds(7 * 86_400), policy: OverflowPolicy = .block) {
        self.maxEvents = maxEvents
        self.maxAge = maxAge
        self.policy = policy
    }
}

/// What the retention keeper does in one pass, decided from counts alone (pure, tested).
public struct RetentionPlan: Sendable, Hashable {
    /// Delete delivered events (seq <= `pruneThrough`) older than `pruneBefore`.
    public var pruneThrough: Int64 = 0
    public var pruneBefore: Timestamp?
    /// Delete this many of the oldest delivered events, whatever their age (over the count bound).
    public var pruneOldestDelivered = 0
    /// Delete this many of the oldest undelivered events (drop-oldest over the count bound).
    public var dropOldest = 0
    /// Delete undelivered events older than this (drop-oldest over the age bound).
    public var dropBefore: Timestamp?
    /// Set when the log is over its bound: the log line and status note.
    public var overBound: String?

    /// `deliveredThrough` is the smallest cursor of all sinks (everything at or below it is
    /// delivered everywhere), `delivered` how many such events the log holds, and
    /// `undeliveredOverAge` how many events after it are older than `maxAge`. Over the count
    /// bound, delivered events go first; only what is left over is undelivered, and the policy
    /// decides about that.
    public static func make(policy: RetentionPolicy, count: Int, delivered: Int, deliveredThrough: Int64,
                            undeliveredOverAge: Int, now: Timestamp) -> RetentionPlan {
        var plan = RetentionPlan()
        let cutoff = policy.maxAge.map { Timestamp(milliseconds: now.milliseconds - $0.wholeMilliseconds) }
        if let cutoff {
            plan.pruneThrough = deliveredThrough
            plan.pruneBefore = cutoff
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
