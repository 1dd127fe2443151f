import TagwayModel

/// What `tagway replay` replays and how far.
public struct ReplayOptions: Sendable {
    /// Capture files, in the order given (records of equal time are taken in this order).
    public var captures: [String]
    /// Captured reader id → configured reader id, for a capture replayed as another reader.
    public var readerMap: [String: String] = [:]
    public var until: ReplayEnd = .drain
    /// Where the event log is kept; nil: a temporary directory, removed afterwards.
    public var logDirectory: String?
    /// A digest of the configuration's text: with the captures', it seeds the event ids.
    public var configDigest: UInt64 = 0

    public init(captures: [String]) { self.captures = captures }
}

/// Where the capture's clock stops.
public enum ReplayEnd: Sendable, Hashable, CustomStringConvertible {
    /// Past the last record until every tag still present has departed (their departures fall
    /// due `departAfter` after their last read): the events a gateway left running would make.
    case drain
    /// At the last record: tags still present stay present, as in a gateway stopped then.
    case end
    /// At this time: later records are not replayed.
    case time(Timestamp)

    /// `drain`, `end`, or an RFC 3339 time such as 2026-12-01T18:00:00.000Z.
    public init?(_ text: String) {
        switch text {
        case "drain": self = .drain
        case "end": self = .end
        default:
            guard let time = ISO8601Millis.parse(text) else { return nil }
            self = .time(time)
        }
    }

    public var description: String {
        switch self {
        case .drain: "drain"
        case .end: "end"
        case .time(let time): time.iso8601
        }
    }
}
