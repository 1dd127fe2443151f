import TagwayModel

/// The capture file format: text, one record per line, so a capture can be read with `less`,
/// diffed, trimmed with `sed` and committed as a test fixture.
///
/// ```
/// #tagway-capture 1
/// #reader door3-uhf
/// #profile magicrf/m100
/// #protocol magicrf-m100
/// #transport serial
/// #line 115200 8N1
/// #started 2025-12-02T18:00:00.000Z
/// 1764698400000 open
/// 1764698400012 tx bb00220000227e
/// 1764698400025 rx bb02220011c53000e2801160600002...
/// ```
///
/// The first line names the format and its version. Header lines (`#key value`) come before the
/// first record; any other line starting with `#` is a comment, wherever it is. A record is the
/// wall-clock time in milliseconds since the Unix epoch, the kind, and the payload in lowercase
/// hex (absent when empty; `close` carries its reason as UTF-8 hex).
public enum CaptureFormat {
    public static let magic = "#tagway-capture"
    /// The usual file name extension.
    public static let fileExtension = "tcap"

    /// The header lines, each ending in a newline.
    public static func headerText(_ header: CaptureHeader) -> String {
        var out = "\(magic) \(CaptureHeader.version)\n"
        out += "#reader \(oneLine(header.reader))\n"
        if let profile = header.profile { out += "#profile \(oneLine(profile))\n" }
        out += "#protocol \(oneLine(header.protocolID))\n"
        out += "#transport \(oneLine(header.transport))\n"
        if let line = header.line { out += "#line \(oneLine(line))\n" }
        if let started = header.started { out += "#started \(started.iso8601)\n" }
        return out
    }

    /// One record as a line, newline included; appended to `out` so a recorder reuses its buffer.
    public static func append(_ record: CaptureRecord, to out: inout [UInt8]) {
        out.append(contentsOf: String(record.time.milliseconds).utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: record.kind.rawValue.utf8)
        if !record.payload.isEmpty {
            out.append(UInt8(ascii: " "))
            for byte in record.payload {
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// The bytes `append` writes for `record` (what the recorder counts against its size bound).
    public static func encodedSize(_ record: CaptureRecord) -> Int {
        String(record.time.milliseconds).utf8.count + 1 + record.kind.rawValue.utf8.count
            + (record.payload.isEmpty ? 0 : 1 + 2 * record.payload.count) + 1
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Header values are single lines: a newline in a reader id must not start a record.
    static func oneLine(_ value: String) -> String {
        String(value.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
