/// Which open of the reader an input belongs to. A shell tags everything a connection produces
/// (bytes, reports, its failure) with the id the `open` action named, so input still queued from a
/// connection the machine has already closed is recognised and ignored instead of being decoded as
/// if it came from the new one.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public var description: String { "connection \(value)" }
}

/// What a timer is for. A session has at most one timer of each purpose armed; arming one
/// replaces the previous one of the same purpose (the shell may cancel it).
public enum TimerPurpose: Hashable, Sendable {
    /// The backoff before the next attempt to open.
    case reopen
    /// The next startup or poll command of a commanded reader.
    case command
    /// A HID decoder's inter-key timeout: a scan without a terminator ends when it fires.
    case scanDeadline
    /// A conversation's deadline (a response awaited, a keepalive overdue).
    case conversation
}

/// One armed timer. A timer that fires after the machine has re-armed or disarmed its purpose is
/// stale: its token is no longer the current one, and the machine ignores it. That is why shells
/// need not win the race between cancelling a sleep and the sleep ending.
public struct TimerToken: Hashable, Sendable, CustomStringConvertible {
    public let purpose: TimerPurpose
    public let serial: UInt64

    public init(purpose: TimerPurpose, serial: UInt64) {
        self.purpose = purpose
        self.serial = serial
    }

    public var description: String { "\(purpose) timer \(serial)" }
}
