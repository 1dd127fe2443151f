import Foundation

/// A gpsd-style `.hex` fixture: hex bytes in lines (`#` starts a comment), and `#! key=value`
/// lines of options. The serial decoders' fixtures and LLRP's share the format, and this reader.
public struct HexFixtureFile: Sendable {
    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The byte lines, in order, without empty ones.
    public var lines: [[UInt8]]
    public var options: [String: String]

    /// All the bytes, as one stream.
    public var bytes: [UInt8] { lines.flatMap { $0 } }

    public init(contentsOf url: URL) throws {
        let name = url.lastPathComponent
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines: [[UInt8]] = []
        var options: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if rawLine.hasPrefix("#!") {
                for pair in rawLine.dropFirst(2).split(separator: " ") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { throw FormatError(description: "\(name):\(number + 1): bad option '\(pair)'") }
                    options[String(parts[0])] = String(parts[1])
                }
                continue
            }
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            var bytes: [UInt8] = []
            for token in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                guard let decoded = Self.hex(token) else {
                    throw FormatError(description: "\(name):\(number + 1): '\(token)' is not hex bytes")
                }
                bytes += decoded
            }
            if !bytes.isEmpty { lines.append(bytes) }
        }
        self.lines = lines
        self.options = options
    }

    /// An even number of hex digits as bytes; nil for anything else.
    static func hex(_ token: Substring) -> [UInt8]? {
        let digits = Array(token.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
