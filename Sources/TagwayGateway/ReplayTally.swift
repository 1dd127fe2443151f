import TagwayModel
import TagwaySessions

/// What one replayed reader did, for the summary `tagway replay` prints on stderr: the figures an
/// operator checks before trusting the events (were records decoded, or dropped as noise?).
public struct ReplayTally: Sendable, Hashable {
    public var records = 0
    /// `tx` records: what the gateway sent, which a replay does not send again.
    public var sent = 0
    /// Records of a kind the reader's transport does not carry, or input for no connection.
    public var ignored = 0
    public var frames = 0
    public var reads = 0
    /// Bytes a decoder discarded, and the runs of them (one per resynchronisation).
    public var bytesDropped = 0
    public var dropEvents = 0
    public var scanProblems = 0
    public var conversationProblems = 0
    public var notices: [String] = []

    public init() {}

    mutating func count(_ emitted: [ReaderFrame]) {
        for frame in emitted {
            if case .status = frame { continue }
            reads += 1
        }
    }

    mutating func apply(_ change: HealthChange) {
        switch change {
        case .received(let received, _, _): frames += received
        case .count(.bytesDropped, let by): bytesDropped += by
        case .count(.dropEvents, let by): dropEvents += by
        case .count(.scanProblems, let by): scanProblems += by
        case .count(.conversationProblems, let by): conversationProblems += by
        case .count, .connected, .disconnected, .waitingForDevice, .details: break
        }
    }

    public static func + (lhs: ReplayTally, rhs: ReplayTally) -> ReplayTally {
        var sum = lhs
        sum.records += rhs.records
        sum.sent += rhs.sent
        sum.ignored += rhs.ignored
        sum.frames += rhs.frames
        sum.reads += rhs.reads
        sum.bytesDropped += rhs.bytesDropped
        sum.dropEvents += rhs.dropEvents
        sum.scanProblems += rhs.scanProblems
        sum.conversationProblems += rhs.conversationProblems
        sum.notices += rhs.notices
        return sum
    }
}
