import TagwayModel

/// The report for a spreadsheet (`POST /v1/audits?format=csv`, the console's download): one row
/// per asset and category, RFC 4180 with CRLF line ends, so whoever walks the rooms can sort
/// and filter it. Times are the JSON's (RFC 3339 UTC); absent values are empty cells.
///
/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) is
/// written with a leading `'`: the list's values come from an upload, and a report opened by
/// someone else must not run what a stranger put in it (OWASP "CSV injection").
extension AuditReport {
    public static let csvHeader = ["zone", "category", "expected", "line", "key", "current_zone", "expected_zone",
                                   "since", "last_seen", "read_point"]

    public var csv: String {
        var lines = [Self.csvLine(Self.csvHeader)]
        for zone in zones {
            for (category, items) in zone.categories {
                for item in items {
                    lines.append(Self.csvLine([
                        zone.zone, category, item.expected ?? "", item.line.map(String.init) ?? "", item.key ?? "",
                        item.zone ?? "", item.expectedZone ?? "", item.since?.iso8601 ?? "", item.lastSeen?.iso8601 ?? "",
                        item.readPoint ?? "",
                    ]))
                }
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func csvLine(_ cells: [String]) -> String {
        cells.map(csvCell).joined(separator: ",")
    }

    static func csvCell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { text = "'" + text }
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }
        guard needsQuotes else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted += "\"" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }
}

extension ZoneAudit {
    /// The categories in the order the table and the JSON use.
    var categories: [(String, [AuditItem])] {
        [("found", found), ("missing", missing), ("misplaced", misplaced), ("unexpected", unexpected),
         ("expectedElsewhere", expectedElsewhere)]
    }
}
