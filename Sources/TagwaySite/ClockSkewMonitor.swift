import TagwayModel

/// Notices gateways whose clocks run ahead of the site's.
///
/// An event cannot have happened after the site received it, so an event time later than its
/// arrival by more than `maxClockSkew` is proof that its gateway's clock is ahead, and by at least
/// that much. (A clock that is behind looks the same as a delivery that was late, a backlog after
/// an outage say, so it is not reported from event times alone.) Reported once when a gateway
/// goes past the bound and once when it comes back within it.
public struct ClockSkewMonitor: Sendable {
    private let bound: Int64
    private var ahead: [String: Int64] = [:]

    public init(maxClockSkew: Duration) { bound = max(0, maxClockSkew.wholeMilliseconds) }

    /// Gateways currently reported ahead, with the latest lead seen, in milliseconds.
    public var gatewaysAhead: [String: Int64] { ahead }

    /// Looks at one event's time against when it arrived; returns a problem when this changes
    /// the gateway's standing.
    public mutating func observe(gateway: String, eventTime: Timestamp, receivedAt now: Timestamp) -> SiteProblem? {
        let lead = eventTime.milliseconds.saturatingSubtract(now.milliseconds)
        if lead > bound {
            let wasAhead = ahead[gateway] != nil
            ahead[gateway] = lead
            return wasAhead ? nil : .clockAhead(gateway: gateway, byMilliseconds: lead)
        }
        guard ahead.removeValue(forKey: gateway) != nil else { return nil }
        return .clockBack(gateway: gateway)
    }
}

/// What the site view reports besides events: each is logged and counted by the shell.
public enum SiteProblem: Hashable, Sendable, CustomStringConvertible {
    /// A gateway's `seq` skipped `from...through` and the events did not come within `gapTimeout`
    /// (aged out of the stream, or lost before it): the picture may miss those movements.
    case gap(gateway: String, from: Int64, through: Int64)
    case clockAhead(gateway: String, byMilliseconds: Int64)
    case clockBack(gateway: String)
    /// A message on the gateways' subjects that is not a Tagway event with a `seq`.
    case notAnEvent(reason: String)
    /// The reorder buffer was full and let an event go before its window (a flood).
    case reorderOverflow(gateway: String)

    public var description: String {
        switch self {
        case let .gap(gateway, from, through):
            return "gateway \(gateway): events seq \(from)...\(through) never arrived within the gap timeout; skipped"
                + " (raise the stream's max age, or the site's gapTimeout if they are only slow)"
        case let .clockAhead(gateway, ms):
            return "gateway \(gateway): its clock is ahead of the site's by at least \(ms) ms; check its NTP (timedatectl)"
        case let .clockBack(gateway):
            return "gateway \(gateway): its clock is back within the site's bound"
        case let .notAnEvent(reason):
            return "a message that is not a Tagway event was skipped: \(reason)"
        case let .reorderOverflow(gateway):
            return "gateway \(gateway): the reorder buffer was full; an event was applied before its reorder window"
        }
    }
}
