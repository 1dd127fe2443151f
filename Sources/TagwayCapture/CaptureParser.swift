import TagwayModel

/// Reads a capture line by line: pure, bounded (a line longer than a record can be is refused
/// before it is looked at), and strict about records (a damaged capture must not replay as a
/// different reader's traffic), lenient about comments.
///
/// Feed it lines without their newline, in order; it returns a record for each record line and
/// nil for the header and comments. `header` is set once the header is complete, which is at the
/// first record (or at `finish()` for a capture with none).
public struct CaptureParser: Sendable {
    public let file: String
    public private(set) var header: CaptureHeader?
    private var fields: [String: String] = [:]
    private var lineNumber = 0
    private var sawMagic = false

    /// The longest line a valid record makes: time, kind, and `maxPayload` bytes in hex.
    public static let maxLineLength = 2 * CaptureRecord.maxPayload + 64

    public init(file: String) { self.file = file }

    public mutating func feed(_ line: some Collection<UInt8>) throws(CaptureError) -> CaptureRecord? {
        lineNumber += 1
        guard line.count <= Self.maxLineLength else {
            throw error("a line of \(line.count) bytes, longer than any record", "records of at most \(CaptureRecord.maxPayload) bytes")
        }
        var bytes = Array(line)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if !sawMagic { return try readMagic(bytes) }
        if bytes.isEmpty { return nil }
        if bytes[0] == UInt8(ascii: "#") {
            if header == nil { readHeaderField(bytes) }
            return nil
        }
        if header == nil { header = try completeHeader() }
        return try record(bytes)
    }

    /// The header of a capture that has no record; throws when the file ended before it was complete.
    public mutating func finish() throws(CaptureError) -> CaptureHeader {
        if !sawMagic { throw CaptureError(file: file, line: 0, message: "the file is empty", expected: "a capture starting with '\(CaptureFormat.magic) 1'") }
        if let header { return header }
        let made = try completeHeader()
        header = made
        return made
    }

    /// Reads a whole capture held in memory.
    public static func parse(_ contents: [UInt8], file: String) throws(CaptureError) -> Capture {
        var parser = CaptureParser(file: file)
        var records: [CaptureRecord] = []
        var start = contents.startIndex
        while start < contents.endIndex {
            let end = contents[start...].firstIndex(of: UInt8(ascii: "\n")) ?? contents.endIndex
            if let record = try parser.feed(contents[start..<end]) { records.append(record) }
            start = end < contents.endIndex ? end + 1 : end
        }
        return Capture(header: try parser.finish(), records: records)
    }

    // MARK: internals

    private mutating func readMagic(_ bytes: [UInt8]) throws(CaptureError) -> CaptureRecord? {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0] == CaptureFormat.magic else {
            throw error("not a Tagway capture (the first line is '\(text.prefix(40))')", "'\(CaptureFormat.magic) \(CaptureHeader.version)' on the first line")
        }
        guard let version = Int(parts[1]), version == CaptureHeader.version else {
            throw error("capture format version \(parts[1]) is not one this Tagway reads",
                        "version \(CaptureHeader.version); a newer Tagway wrote this file")
        }
        sawMagic = true
        return nil
    }

    private mutating func readHeaderField(_ bytes: [UInt8]) {
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let space = text.firstIndex(of: " ") else { return }
        let key = String(text[..<space])
        guard ["reader", "profile", "protocol", "transport", "line", "started"].contains(key), fields[key] == nil else { return }
        fields[key] = String(text[text.index(after: space)...])
    }

    private func completeHeader() throws(CaptureError) -> CaptureHeader {
        for key in ["reader", "protocol", "transport"] where (fields[key] ?? "").isEmpty {
            throw error("the header has no '#\(key)' line", "'#\(key) <value>' before the first record")
        }
        var started: Timestamp?
        if let text = fields["started"] {
            guard let time = ISO8601Millis.parse(text) else {
                throw error("'#started \(text)' is not a time", "an RFC 3339 time such as 2026-12-02T18:00:00.000Z")
            }
            started = time
        }
        return CaptureHeader(reader: fields["reader"] ?? "", profile: fields["profile"], protocolID: fields["protocol"] ?? "",
                             transport: fields["transport"] ?? "", started: started, line: fields["line"])
    }

    private func record(_ bytes: [UInt8]) throws(CaptureError) -> CaptureRecord {
        let parts = bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        guard parts.count == 2 || parts.count == 3 else {
            throw error("a record of \(parts.count) fields", "TIME KIND [HEX], such as '1764698400025 rx 02303130'")
        }
        guard let milliseconds = Int64(String(decoding: parts[0], as: UTF8.self)) else {
            throw error("'\(String(decoding: parts[0].prefix(24), as: UTF8.self))' is not a time", "milliseconds since 1970 as digits")
        }
        let name = String(decoding: parts[1], as: UTF8.self)
        guard let kind = CaptureRecord.Kind(rawValue: name) else {
            let kinds = CaptureRecord.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown record kind '\(name.prefix(16))'", "one of \(kinds)")
        }
        var payload: [UInt8] = []
        if parts.count == 3 {
            let hex = parts[2]
            guard hex.count % 2 == 0 else { throw error("\(hex.count) hex digits, an odd number", "two hex digits per byte") }
            guard hex.count / 2 <= CaptureRecord.maxPayload else {
                throw error("a payload of \(hex.count / 2) bytes", "at most \(CaptureRecord.maxPayload) bytes per record")
            }
            payload.reserveCapacity(hex.count / 2)
            var index = hex.startIndex
            while index < hex.endIndex {
                guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else {
                    throw error("'\(String(decoding: hex[index...].prefix(2), as: UTF8.self))' is not hex", "digits 0-9 and a-f")
                }
                payload.append(high << 4 | low)
                index += 2
            }
        }
        if kind == .open, !payload.isEmpty { throw error("an 'open' record with a payload", "'TIME open' alone") }
        return CaptureRecord(time: Timestamp(milliseconds: milliseconds), kind: kind, payload: payload)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func error(_ message: String, _ expected: String) -> CaptureError {
        CaptureError(file: file, line: lineNumber, message: message, expected: expected)
    }
}
