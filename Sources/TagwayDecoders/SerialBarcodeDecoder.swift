import TagwayModel

/// Barcode scanners in serial (RS-232 / USB-CDC) mode: one scan per line of text.
///
/// Scanners are configured, not commanded, so the decoder has to accept what the factory defaults
/// and site technicians choose: a CR, LF or CRLF suffix, with or without the AIM symbology
/// identifier (`]C1` GS1-128, `]E0` EAN-13, `]d2` GS1 DataMatrix, `]Q3` QR ...). Scan data is
/// kept byte for byte: GS1 FNC1 arrives as GS (0x1D) and must survive to the GS1 parser, and
/// 2D codes may carry RS/EOT or binary payloads.
///
/// A line longer than `maxLength` is dropped as overlong, including the rest of it that arrives
/// later, so a scanner left on the wrong baud rate cannot fill memory or split into fake scans.
public struct SerialBarcodeDecoder: ReaderDecoder {
    /// What ends a scan. `any` accepts CR, LF and CRLF alike (CRLF is one scan: the empty line
    /// between CR and LF is not a scan).
    public enum Terminator: String, Sendable, CaseIterable {
        case cr, lf, crlf, any
    }

    /// Whether scans start with an AIM identifier: `auto` strips a leading `]` + letter +
    /// alphanumeric, `yes` requires one (a scan without is dropped as malformed), `no` keeps
    /// everything as data.
    public enum AIMMode: String, Sendable, CaseIterable {
        case auto, yes, no
    }

    public static let defaultMaxLength = 4096
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let bracket = UInt8(ascii: "]")

    public let terminator: Terminator
    public let aim: AIMMode
    /// The longest scan data, in bytes, not counting the AIM identifier and the terminator.
    public let maxLength: Int
    /// True while throwing away the rest of a line that already ran past `maxLength`.
    private var discarding = false

    public init(terminator: Terminator = .any, aim: AIMMode = .auto, maxLength: Int = defaultMaxLength) {
        precondition(maxLength > 0, "maxLength must be positive")
        self.terminator = terminator
        self.aim = aim
        self.maxLength = maxLength
    }

    /// The decoder a profile's `settings:` describe (`terminator`, `aim`, `maxLength`).
    public init(options: ProtocolOptions) throws(ProtocolOptionError) {
        self.init(
            terminator: try options.choice("terminator", default: Terminator.any),
            aim: try options.choice("aim", default: AIMMode.auto),
            maxLength: try options.integer("maxLength", default: Self.defaultMaxLength, in: 1...65_536))
    }

    /// A raw line may hold an AIM identifier on top of `maxLength` data bytes.
    var lineLimit: Int { maxLength + (aim == .no ? 0 : 3) }

    /// A full line plus a CR waiting for its LF.
    public var maximumFrameLength: Int { lineLimit + 2 }

    public mutating func decodeStep(_ buffer: inout ByteWindow) -> DecodeStep? {
        while !buffer.isEmpty {
            if discarding { return discard(&buffer) }
            switch findLineEnd(buffer, limit: lineLimit) {
            case .needMore:
                return nil
            case .overlong:
                // The examined bytes hold no terminator; the rest of the line goes in `discard`.
                discarding = true
                let count = lineLimit + 1
                buffer.consume(count)
                return .dropped(.overlong, byteCount: count)
            case .line(let length, let terminatorLength):
                if length == 0 {
                    // A bare terminator, such as the LF of a CRLF in `any` mode: not a scan.
                    buffer.consume(terminatorLength)
                    continue
                }
                let step = scan(buffer, length: length)
                buffer.consume(length + terminatorLength)
                switch step {
                case .frame: return step
                case .dropped(let reason, _): return .dropped(reason, byteCount: length + terminatorLength)
                }
            }
        }
        return nil
    }

    /// Forgets a half-discarded overlong line, as after a reconnect.
    public mutating func reset() {
        discarding = false
    }

    // MARK: - Lines

    enum LineEnd: Equatable {
        case line(length: Int, terminatorLength: Int)
        case needMore
        case overlong
    }

    /// Where the first line ends, looking no further than `limit` bytes of line content.
    func findLineEnd(_ buffer: ByteWindow, limit: Int) -> LineEnd {
        let available = buffer.count
        let searchEnd = Swift.min(available, limit + 1)
        return buffer.storage.withUnsafeBufferPointer { storage in
            let base = buffer.start
            var index = 0
            while index < searchEnd {
                let byte = storage[base + index]
                switch terminator {
                case .any:
                    if byte == Self.cr || byte == Self.lf { return .line(length: index, terminatorLength: 1) }
                case .cr:
                    if byte == Self.cr { return .line(length: index, terminatorLength: 1) }
                case .lf:
                    if byte == Self.lf { return .line(length: index, terminatorLength: 1) }
                case .crlf:
                    if byte == Self.cr {
                        guard index + 1 < available else { return .needMore }
                        if storage[base + index + 1] == Self.lf { return .line(length: index, terminatorLength: 2) }
                    }
                }
                index += 1
            }
            return available > limit ? .overlong : .needMore
        }
    }

    /// In `crlf` mode a CR at the very end may be the first half of the terminator.
    func pendingCR(_ buffer: ByteWindow) -> Bool {
        terminator == .crlf && !buffer.isEmpty && buffer[buffer.count - 1] == Self.cr
    }

    /// Drops the tail of an overlong line up to and including its terminator.
    mutating func discard(_ buffer: inout ByteWindow) -> DecodeStep? {
        switch findLineEnd(buffer, limit: buffer.count) {
        case .line(let length, let terminatorLength):
            discarding = false
            let count = length + terminatorLength
            buffer.consume(count)
            return .dropped(.overlong, byteCount: count)
        case .needMore, .overlong:
            let count = buffer.count - (pendingCR(buffer) ? 1 : 0)
            guard count > 0 else { return nil }
            buffer.consume(count)
            return .dropped(.overlong, byteCount: count)
        }
    }

    // MARK: - Scans

    /// The scan in the first `length` bytes (terminator excluded). Drops carry a placeholder count.
    func scan(_ buffer: ByteWindow, length: Int) -> DecodeStep {
        var symbology: String?
        var dataStart = 0
        switch aim {
        case .no:
            break
        case .auto:
            if length >= 3, buffer[0] == Self.bracket, Self.isLetter(buffer[1]), Self.isAlphanumeric(buffer[2]) {
                symbology = String(decoding: buffer.slice(0, 3), as: UTF8.self)
                dataStart = 3
            }
        case .yes:
            guard length >= 3, buffer[0] == Self.bracket else { return .dropped(.malformed, byteCount: 0) }
            symbology = String(decoding: buffer.slice(0, 3), as: UTF8.self)
            dataStart = 3
        }
        let dataLength = length - dataStart
        // An identifier with no data behind it is a fragment, not a scan.
        guard dataLength > 0 else { return .dropped(.malformed, byteCount: 0) }
        guard dataLength <= maxLength else { return .dropped(.overlong, byteCount: 0) }
        return .frame(.barcode(BarcodeScan(symbology: symbology, data: Array(buffer.slice(dataStart, dataLength)))))
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || (0x30...0x39).contains(byte)
    }
}
