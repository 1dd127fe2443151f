/// What a protocol decoder hands up: one complete, checksum-verified message from a reader.
public enum ReaderFrame: Hashable, Sendable {
    /// An RFID tag was read.
    case tag(TagObservation)
    /// A barcode was scanned.
    case barcode(BarcodeScan)
    /// A reader message that carries no tag (command acknowledgement, "no tag", version, error
    /// status). Kept so health and tests can see the reader is alive and answering.
    case status(ReaderStatus)
}

/// One RFID tag read as the reader reported it, before any identity parsing.
public struct TagObservation: Hashable, Sendable {
    /// The air protocol family, so identity parsing knows how to read `id`.
    public enum Technology: String, Hashable, Sendable, Codable {
        case em4100
        case epcGen2 = "epc-gen2"
        case iso14443a = "iso14443a"
    }

    public var technology: Technology
    /// EM4100: 5 bytes (version + 32-bit card number). Gen2: the EPC bank's EPC bytes. 14443A: UID.
    public var id: TagID
    /// Antenna port on readers that have several; nil when the reader has one.
    public var antenna: Int?
    /// Received signal strength in dBm, when the reader reports it.
    public var rssi: Int?
    /// Gen2 protocol-control word, when the reader reports it.
    public var pc: UInt16?
    /// When the reader saw the tag, on the gateway's clock, for readers that timestamp their
    /// reads (LLRP): the pipeline uses it instead of the time the frame arrived.
    public var seenAt: Timestamp?

    public init(technology: Technology, id: TagID, antenna: Int? = nil, rssi: Int? = nil, pc: UInt16? = nil,
                seenAt: Timestamp? = nil) {
        self.technology = technology
        self.id = id
        self.antenna = antenna
        self.rssi = rssi
        self.pc = pc
        self.seenAt = seenAt
    }
}

/// One barcode scan: the data bytes exactly as the scanner sent them, with GS1 FNC1 kept as 0x1D.
public struct BarcodeScan: Hashable, Sendable {
    /// The AIM symbology identifier (`]C1`, `]E0`, `]d2` ...), when the scanner sends one.
    public var symbology: String?
    public var data: [UInt8]

    public init(symbology: String? = nil, data: [UInt8]) {
        self.symbology = symbology
        self.data = data
    }

    /// The data as text; GS stays as U+001D so GS1 parsing sees its separators.
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// A reader message without a tag.
public struct ReaderStatus: Hashable, Sendable {
    public var code: String
    public var detail: String

    public init(code: String, detail: String = "") {
        self.code = code
        self.detail = detail
    }
}
