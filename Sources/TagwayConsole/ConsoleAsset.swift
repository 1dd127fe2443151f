/// One file of the console: its bytes, the type a browser needs to run it under `nosniff`, and
/// a validator so a reload costs a 304 instead of the bytes again.
public struct ConsoleAsset: Sendable, Hashable {
    public let name: String
    public let bytes: [UInt8]
    public let contentType: String
    /// A strong ETag (quoted): FNV-1a 64 of the bytes. Not a security measure, only a change
    /// detector, so no cryptographic hash (and no dependency on one) is needed.
    public let etag: String

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        contentType = Self.contentType(of: name)
        etag = "\"" + Self.fnv1a(bytes) + "\""
    }

    /// Types of the extensions the console uses; anything else is served as bytes.
    static func contentType(of name: String) -> String {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "json": return "application/json"
        default: return "application/octet-stream"
        }
    }

    static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-" + String(bytes.count)
    }

    /// A name the console may serve: flat (no directory), no leading dot, a short plain name.
    /// Requests for anything else are 404 without touching a table or a disk.
    static func isServable(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, name.utf8.first != UInt8(ascii: ".") else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
