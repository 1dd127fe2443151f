/// Which field of a row names the asset and which names where it should be.
///
/// Names are compared case-insensitively with spaces and hyphens read as `_`, so Snipe-IT's
/// `Asset Tag` and `Location` headers, and hand-made `asset_key,zone` lists, all work.
enum ExpectedListColumns {
    /// Fields naming the asset, in order of preference when a row has several.
    static let assetNames = ["asset_key", "key", "asset_tag"]
    /// Fields naming a zone id (or alias), preferred over a location.
    static let zoneNames = ["zone", "expected_zone"]
    /// Fields naming an asset store location, mapped to a zone by `audit.locations`.
    static let locationNames = ["location"]

    static let assetHint = "asset_key, key, asset_tag or Asset Tag"
    static let zoneHint = "zone, expected_zone, location or Location"

    static func normalized(_ name: String) -> String {
        var out = ""
        for scalar in name.trimmingSpaces().unicodeScalars {
            switch scalar {
            case " ", "-": out.unicodeScalars.append("_")
            case "A"..."Z": out.unicodeScalars.append(Unicode.Scalar(UInt8(scalar.value + 32)))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The first of `preferred` that `present` has.
    static func pick(_ preferred: [String], in present: Set<String>) -> String? {
        preferred.first { present.contains($0) }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (cells are often padded by hand).
    func trimmingSpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        if first == utf8.startIndex, last == utf8.index(before: utf8.endIndex) { return self }
        return String(self[first...last])
    }

    /// Snipe-IT (like many exporters) escapes a cell that starts with `=`, `+`, `-`, `@`, a tab or
    /// a CR with a leading backtick so spreadsheets do not run it as a formula; the asset tag
    /// is the text after it.
    func removingFormulaEscape() -> String {
        let utf8 = self.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "`") else { return self }
        let second = utf8[utf8.index(after: utf8.startIndex)]
        guard [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(second) else { return self }
        return String(dropFirst())
    }
}
