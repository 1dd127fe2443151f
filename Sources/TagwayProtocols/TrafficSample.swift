import TagwayEmulators
import TagwayModel

/// Known-good traffic of one protocol and the frames it must decode to, with the settings it
/// was sent under.
public struct TrafficSample: Sendable {
    public enum Traffic: Sendable, Hashable {
        /// A serial byte stream.
        case bytes([UInt8])
        /// HID input reports, in order; the report descriptor is the protocol emulator's.
        case reports([[UInt8]])
    }

    public var note: String
    public var traffic: Traffic
    public var frames: [ReaderFrame]
    public var settings: ProtocolSettings

    public init(_ note: String, _ traffic: Traffic, frames: [ReaderFrame], settings: ProtocolSettings = [:]) {
        self.note = note
        self.traffic = traffic
        self.frames = frames
        self.settings = settings
    }
}

/// What to tell an emulator to emit, so its output can be decoded and compared.
public enum EmulatorInput: Sendable, Hashable {
    /// Tags in the reader's field (read passively, or answered to the protocol's poll).
    case tagsInField([FieldTag])
    /// One barcode scan (or a card a keyboard-wedge reader types).
    case scan(BarcodeScan)
}
