import TagwayModel

/// What a shell must do in answer to an input, in the order given.
public enum ReaderSessionAction: Hashable, Sendable {
    /// Open the device; report `.opened`, `.openFailed` or `.absent` with this id.
    case open(ConnectionID)
    /// Close the connection (stop reading it; give a USB interface back to the kernel).
    case close(ConnectionID)
    /// Write a command to the open connection.
    case send([UInt8])
    /// Feed `.timerFired(token)` back after `delay` on the monotonic clock, replacing any timer
    /// armed earlier for the same purpose.
    case armTimer(TimerToken, after: Duration)
    /// Hand these frames, read at `time`, to the pipeline.
    case emit([ReaderFrame], at: Timestamp)
    /// Apply this to the reader's health.
    case health(HealthChange)
    /// Log this at warning, once: what a conversation wants an operator to read (a reader
    /// exception, a clock far off, a power the reader cannot give), not a counter.
    case notice(String)
}

/// A change to a reader's health, typed so every field has one writer with one meaning.
public enum HealthChange: Hashable, Sendable {
    /// The reader was opened at `at`; `path` replaces the configured one when known.
    case connected(at: Timestamp, path: String?)
    /// The reader is not readable; `failure` (when there is one) becomes the last error.
    /// `retryIn`: when the next attempt is (nil: when the device is announced).
    case disconnected(SessionFailure?, retryIn: Duration?)
    /// The reader is not attached; the session waits for it to be plugged in.
    case waitingForDevice
    /// Bytes and frames received (bytes nil for report-based transports).
    case received(frames: Int, bytes: Int?, at: Timestamp)
    /// A counter grew by `by`.
    case count(ReaderCounter, by: Int)
    /// What the reader said about itself (a conversation's details replace the previous ones).
    case details(ReaderDetails)
}
