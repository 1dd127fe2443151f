import TagwayModel

/// Notices gateways whose clocks are off.
///
/// The best evidence is the gateway's clock at the publish (`Tagway-Sent-At`) against the time
/// the stream stored the message (the servers' clock): apart from the publish's own latency
/// (milliseconds) the difference is the gateway's offset, ahead or behind, whatever the delivery
/// did later (a backlog after an outage is stored late and sent late alike). A message without
/// the header (an older gateway) is judged by its event time against when the site received it:
/// an event cannot have happened after the site received it, so a lead beyond `maxClockSkew`
/// proves the clock is ahead; a clock that is behind looks like a late delivery then, so it is
/// not reported from event times alone. Each gateway is reported once when it goes past the
/// bound (or to the other side of it) and once when it comes back within it.
public struct ClockSkewMonitor: Sendable {
    private enum Standing: Hashable, Sendable { case ahead, behind }

    private let bound: Int64
    private var off: [String: (standing: Standing, by: Int64)] = [:]

    public init(maxClockSkew: Duration) { bound = max(0, maxClockSkew.wholeMilliseconds) }

    /// Gateways currently reported ahead, with the latest lead seen, in milliseconds.
    public var gatewaysAhead: [String: Int64] { off.filter { $0.value.standing == .ahead }.mapValues(\.by) }

    /// Gateways currently reported behind, with the latest lag seen, in milliseconds.
    public var gatewaysBehind: [String: Int64] { off.filter { $0.value.standing == .behind }.mapValues(\.by) }

    /// Looks at one event's time against when it arrived (a message without `Tagway-Sent-At`);
    /// returns a problem when this changes the gateway's standing.
    public mutating func observe(gateway: String, eventTime: Timestamp, receivedAt now: Timestamp) -> SiteProblem? {
        let lead = eventTime.milliseconds.saturatingSubtract(now.milliseconds)
        return judge(gateway, offset: lead, canTellBehind: false)
    }

    /// Looks at the gateway's clock when it published (`sentAt`) against the stream's when it
    /// stored the message; returns a problem when this changes the gateway's standing.
    public mutating func observe(gateway: String, sentAt: Timestamp, storedAt: Timestamp) -> SiteProblem? {
        judge(gateway, offset: sentAt.milliseconds.saturatingSubtract(storedAt.milliseconds), canTellBehind: true)
    }

    private mutating func judge(_ gateway: String, offset: Int64, canTellBehind: Bool) -> SiteProblem? {
        let standing: Standing? = offset > bound ? .ahead : (canTellBehind && offset < -bound ? .behind : nil)
        guard let standing else {
            guard off.removeValue(forKey: gateway) != nil else { return nil }
            return .clockBack(gateway: gateway)
        }
        let by = standing == .ahead ? offset : (offset == .min ? .max : -offset)
        let before = off[gateway]?.standing
        off[gateway] = (standing, by)
        guard before != standing else { return nil }
        return standing == .ahead ? .clockAhead(gateway: gateway, byMilliseconds: by) : .clockBehind(gateway: gateway, byMilliseconds: by)
    }
}

/// What the site view reports besides events: each is logged and counted by the shell.
public enum SiteProblem: Hashable, Sendable, CustomStringConvertible {
    /// A gateway's `seq` skipped `from...through` and the events did not come within `gapTimeout`
    /// (aged out of the stream, or lost before it): the picture may miss those movements.
    case gap(gateway: String, from: Int64, through: Int64)
    case clockAhead(gateway: String, byMilliseconds: Int64)
    /// Known only from `Tagway-Sent-At` against the stream's store time.
    case clockBehind(gateway: String, byMilliseconds: Int64)
    case clockBack(gateway: String)
    /// A message on the gateways' subjects that is not a Tagway event with a `seq`.
    case notAnEvent(reason: String)
    /// The reorder buffer was full and let an event go before its window (a flood).
    case reorderOverflow(gateway: String)
    /// A notice: a known gateway sent events of a log the site had not seen (`GatewayLogSequencers`):
    /// its log was recreated, and the new log's events are applied from `seq` 1.
    case logReplaced(gateway: String, from: String, to: String)
    /// A notice: a gateway's log, unidentified until now, sends its identity and goes on at `seq`.
    case logIdentified(gateway: String, log: String, continuingAt: Int64)
    /// An event of a log that a newer one replaced, past that log's position: applied, but it
    /// should not come (two gateways with one id, or an old log restored beside the new one).
    case replacedLogEvent(gateway: String, log: String, seq: Int64)

    public var description: String {
        switch self {
        case let .gap(gateway, from, through):
            return "gateway \(gateway): events seq \(from)...\(through) never arrived within the gap timeout; skipped"
                + " (raise the stream's max age, or the site's gapTimeout if they are only slow)"
        case let .clockAhead(gateway, ms):
            return "gateway \(gateway): its clock is ahead of the site's by at least \(ms) ms; check its NTP (timedatectl)"
        case let .clockBehind(gateway, ms):
            return "gateway \(gateway): its clock is behind the stream's by about \(ms) ms; check its NTP (timedatectl)"
                + " (its events sort before the others' and its arrivals may miss their handovers)"
        case let .clockBack(gateway):
            return "gateway \(gateway): its clock is back within the site's bound"
        case let .notAnEvent(reason):
            return "a message that is not a Tagway event was skipped: \(reason)"
        case let .reorderOverflow(gateway):
            return "gateway \(gateway): the reorder buffer was full; an event was applied before its reorder window"
        case let .logReplaced(gateway, from, to):
            return "gateway \(gateway): its event log was replaced (log \(from.isEmpty ? "without identity" : from) -> \(to.isEmpty ? "without identity" : to));"
                + " the new log's events are applied from seq 1 (a new disk, a reinstall, a deleted or restored events.sqlite)"
        case let .logIdentified(gateway, log, seq):
            return "gateway \(gateway): its event log now sends its identity \(log); its numbering goes on at seq \(seq)"
        case let .replacedLogEvent(gateway, log, seq):
            return "gateway \(gateway): event seq \(seq) of its replaced log \(log.isEmpty ? "without identity" : log) came after the new log's;"
                + " applied (check that no two gateways share the id \(gateway), and that no old copy of its log is running)"
        }
    }
}
