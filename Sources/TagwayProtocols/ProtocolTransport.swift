import TagwayDecoders
import TagwayHID

/// What a reader's transport delivers to its decoder. A new transport (LLRP messages over TCP)
/// is one case here and one in `ProtocolDriver`, with its driver type.
public enum ProtocolTransport: String, Sendable, Hashable, CaseIterable {
    /// A byte stream from a serial port (or a USB-serial bridge).
    case serialBytes = "serial-bytes"
    /// USB HID input reports.
    case hidReports = "hid-reports"
    /// Messages of a conversation over a TCP connection (LLRP): the reader is not polled or merely
    /// heard, it is talked to, so its driver makes a `ReaderConversation` rather than a decoder.
    case llrpMessages = "llrp-messages"
}

/// The transport-specific half of a descriptor: how to decode, poll and emulate the protocol.
public enum ProtocolDriver: Sendable {
    case serialBytes(SerialDriver)
    case hidReports(HIDReportDriver)
    case llrpMessages(ConversationDriver)

    public var transport: ProtocolTransport {
        switch self {
        case .serialBytes: .serialBytes
        case .hidReports: .hidReports
        case .llrpMessages: .llrpMessages
        }
    }

    public var serial: SerialDriver? {
        if case .serialBytes(let driver) = self { return driver }
        return nil
    }

    public var hid: HIDReportDriver? {
        if case .hidReports(let driver) = self { return driver }
        return nil
    }

    public var conversation: ConversationDriver? {
        if case .llrpMessages(let driver) = self { return driver }
        return nil
    }
}
