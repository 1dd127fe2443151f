import TagwayModel

/// A protocol that holds a conversation over its connection rather than being polled: LLRP's
/// client says hello, configures the reader, starts an inventory, answers keepalives and watches
/// for silence. The session machine still owns the connection (open, backoff, reconnect, stop);
/// the conversation owns what is said on it, and is told when a connection begins and ends.
///
/// Pure like the machine: time comes in with each input, and the one timer a conversation needs
/// (a response or keepalive deadline) is asked for in `ConversationStep.deadline`.
public protocol ReaderConversation: Sendable {
    /// A connection was opened: forget everything about the previous one and begin again
    /// (a reconnect reconfigures the reader from scratch).
    mutating func connected(at time: Timestamp) -> ConversationStep
    /// Bytes arrived on the connection, in order, in chunks of any size.
    mutating func received(_ bytes: [UInt8], at time: Timestamp) -> ConversationStep
    /// The deadline of the last step that set one has passed.
    mutating func deadlinePassed(at time: Timestamp) -> ConversationStep
    /// The session is stopping while connected: what to send before the connection is closed
    /// (LLRP's CLOSE_CONNECTION), if anything.
    mutating func farewell() -> [[UInt8]]
}

/// A conversation's answer to one input.
public struct ConversationStep: Sendable, Hashable {
    /// What to write to the connection, in order.
    public var send: [[UInt8]]
    /// Frames for the pipeline, in the order read (each tag may carry its own `seenAt`).
    public var frames: [ReaderFrame]
    /// Health changes (counters, the reader's details).
    public var health: [HealthChange]
    /// When set, arm the conversation's one timer this far ahead, replacing the last one;
    /// `.cancel` disarms it; nil leaves it as it is.
    public var deadline: Deadline?
    /// Set when the connection cannot go on (a refused connection, framing lost, a dead reader,
    /// a command the reader rejected): the machine closes it and recovers as the failure says.
    public var failure: SessionFailure?
    /// What the shell should log (a reader exception, a clock far off, a power the reader cannot
    /// give): things an operator should read once, not counters.
    public var notices: [String]

    public enum Deadline: Sendable, Hashable {
        case after(Duration)
        case cancel
    }

    public init(send: [[UInt8]] = [], frames: [ReaderFrame] = [], health: [HealthChange] = [], deadline: Deadline? = nil,
                failure: SessionFailure? = nil, notices: [String] = []) {
        self.send = send
        self.frames = frames
        self.health = health
        self.deadline = deadline
        self.failure = failure
        self.notices = notices
    }
}

/// What a reader says about itself, for status: filled by conversations that can ask (LLRP);
/// every field optional because a reader may not say.
public struct ReaderDetails: Sendable, Hashable {
    public var model: String?
    public var firmware: String?
    /// Antenna ports the reader has, and those it reports connected (from its own antenna events).
    public var antennaPorts: Int?
    public var antennasConnected: [Int]?
    /// When the reader last showed it was alive (a keepalive or any message), gateway clock.
    public var lastHeardFrom: Timestamp?
    /// Reader clock minus gateway clock, as measured from its timestamps (positive: reader ahead).
    public var clockSkew: Duration?
    /// False when the skew is beyond the bound: the gateway's clock is used for its reads.
    public var readerClockUsed: Bool?
    /// Reports received in total (the status computes a rate from two samples).
    public var reports: Int?

    public init(model: String? = nil, firmware: String? = nil, antennaPorts: Int? = nil, antennasConnected: [Int]? = nil,
                lastHeardFrom: Timestamp? = nil, clockSkew: Duration? = nil, readerClockUsed: Bool? = nil, reports: Int? = nil) {
        self.model = model
        self.firmware = firmware
        self.antennaPorts = antennaPorts
        self.antennasConnected = antennasConnected
        self.lastHeardFrom = lastHeardFrom
        self.clockSkew = clockSkew
        self.readerClockUsed = readerClockUsed
        self.reports = reports
    }
}
