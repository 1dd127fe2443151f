import TagwayDecoders
import TagwayHID
import TagwayModel

/// How a session reads its reader, fixed for the session's life: the configuration side of the
/// machine, built by the shell from the reader's profile.
public struct ReaderSessionPlan: Sendable {
    /// How received input becomes frames.
    public enum Decoding: Sendable {
        /// A byte stream (serial, TCP) framed by a protocol decoder.
        case byteStream(FrameAssembler)
        /// HID input reports; the decoder comes with `.opened` (the report descriptor decides).
        case reports
        /// A conversation over a byte stream (LLRP over TCP): it decides what is said, the machine
        /// keeps the connection. The same conversation is told of every connection, so what it
        /// learnt of the reader (its details) may outlive a reconnect.
        case conversation(any ReaderConversation)
    }

    public var decoding: Decoding
    /// Startup and poll commands of a commanded reader; nil for readers that talk on their own.
    public var polling: PollingPlan?
    /// The pause between two startup commands (and before the first poll), so a reader that
    /// parses commands slowly does not see them run together.
    public var commandSpacing: Duration
    /// Delays between attempts to open a reader that failed.
    public var backoff: Backoff
    /// The profile's technology (`em4100`, `barcode` …): a keyboard-wedge EM4100 reader's typed
    /// ids become tags (`EM4100KeyboardRewrite`).
    public var technology: String?

    public init(
        decoding: Decoding, polling: PollingPlan? = nil, commandSpacing: Duration = .milliseconds(20),
        backoff: Backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(5)), technology: String? = nil
    ) {
        self.decoding = decoding
        self.polling = polling
        self.commandSpacing = commandSpacing
        self.backoff = backoff
        self.technology = technology
    }
}
