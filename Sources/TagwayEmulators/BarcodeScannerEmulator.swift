import TagwayModel

/// A barcode scanner in serial mode. Scanners send on their own when the trigger is pulled, so
/// the simulator calls `scan(_:)`; they never answer commands and send nothing per tick.
public struct BarcodeScannerEmulator: ReaderEmulator {
    /// The suffix the scanner is programmed with.
    public enum Suffix: Sendable, CaseIterable {
        case cr, lf, crlf

        public var bytes: [UInt8] {
            switch self {
            case .cr: [0x0D]
            case .lf: [0x0A]
            case .crlf: [0x0D, 0x0A]
            }
        }
    }

    public var suffix: Suffix
    /// Whether the AIM symbology identifier is transmitted (a programming option on most scanners).
    public var sendsAIM: Bool

    public init(suffix: Suffix = .crlf, sendsAIM: Bool = true) {
        self.suffix = suffix
        self.sendsAIM = sendsAIM
    }

    public mutating func unsolicited(field: [FieldTag], now: Timestamp) -> [UInt8] { [] }

    public func scan(_ barcode: BarcodeScan) -> [UInt8] {
        Self.frame(barcode, suffix: suffix, sendsAIM: sendsAIM)
    }

    /// The bytes of one scan: identifier (when sent and known), data as is, suffix.
    public static func frame(_ barcode: BarcodeScan, suffix: Suffix, sendsAIM: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if sendsAIM, let symbology = barcode.symbology { out += Array(symbology.utf8) }
        out += barcode.data
        out += suffix.bytes
        return out
    }
}
