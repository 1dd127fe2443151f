import TagwayModel

/// One thing a reader connection did, as the gateway saw it, at the time it saw it.
///
/// A capture is what a support question needs and what a rule change can be tried on (gpsd's
/// logs and gpsfake are the model): the bytes before any decoder touched them, so a decoder bug
/// or a reader's odd firmware is in the file, not explained away by it.
public struct CaptureRecord: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Bytes read from a serial port or a TCP connection, in the chunks the read returned.
        case rx
        /// Bytes the gateway sent the reader (a commanded reader's poll, an LLRP request).
        case tx
        /// One USB HID input report, whole.
        case hid
        /// One whole LLRP message (header included) the reader sent.
        case llrp
        /// The connection to the reader opened (payload empty).
        case open
        /// The connection ended: unplugged, refused, closed (payload: the reason, UTF-8, may be empty).
        case close
    }

    /// The gateway's wall clock when the bytes arrived (or were sent). Not necessarily increasing:
    /// a clock step shows as a time earlier than the one before, which a replay plays at once.
    public var time: Timestamp
    public var kind: Kind
    public var payload: [UInt8]

    public init(time: Timestamp, kind: Kind, payload: [UInt8] = []) {
        self.time = time
        self.kind = kind
        self.payload = payload
    }

    /// The largest payload one record may carry: bounds a reader's memory and a hostile file's.
    /// LLRP messages are the largest inputs (a report of many tags); 1 MiB is well above them.
    public static let maxPayload = 1 << 20
}

/// What a capture file says about the reader it was recorded from, before its first record.
public struct CaptureHeader: Hashable, Sendable {
    /// The format's version, written on the file's first line (`#tagway-capture 1`).
    public static let version = 1
    /// The configured reader's id (replay finds the reader of the same id in the configuration).
    public var reader: String
    /// The device profile id, when known (`magicrf/m100`).
    public var profile: String?
    /// The protocol id of the registry (`magicrf-m100`): a replay refuses a reader whose protocol differs.
    public var protocolID: String
    /// `serial`, `usb-hid` or `llrp`, as profiles name transports.
    public var transport: String
    /// When recording started (the first record may be later).
    public var started: Timestamp?
    /// The serial line, as `SerialSettings` prints it (`115200 8N1`), for a replay on a pty.
    public var line: String?

    public init(reader: String, profile: String? = nil, protocolID: String, transport: String, started: Timestamp? = nil,
                line: String? = nil) {
        self.reader = reader
        self.profile = profile
        self.protocolID = protocolID
        self.transport = transport
        self.started = started
        self.line = line
    }
}

/// A whole capture read back: its header and records in file order.
public struct Capture: Hashable, Sendable {
    public var header: CaptureHeader
    public var records: [CaptureRecord]

    public init(header: CaptureHeader, records: [CaptureRecord]) {
        self.header = header
        self.records = records
    }
}
