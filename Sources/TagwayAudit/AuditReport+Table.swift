import TagwayModel

/// The report for people: a summary, then per zone its totals and one line per asset, in at
/// most 100 columns (long keys and zone names are cut with `…`; times come before zone names so
/// a cut never hides them). Times are UTC to the minute.
extension AuditReport {
    public static let tableWidth = 100

    public var table: String {
        var lines: [String] = []
        var head = "Audit of \(source) at \(Self.minute(time)) UTC, freshness \(AuditDurationText.format(freshness))"
        if let lastSeq { head += ", log seq \(lastSeq)" }
        if let zoneFilter { head += ", zone \(zoneFilter)" }
        lines.append(Self.fit(head, Self.tableWidth))
        lines.append(Self.fit("Total: " + Self.summary(totals, elsewhere: false), Self.tableWidth))
        for zone in zones {
            lines.append("")
            lines.append(Self.fit(zone.zone + ": " + Self.summary(zone.totals, elsewhere: true), Self.tableWidth))
            let rows = zone.rows
            guard !rows.isEmpty else { continue }
            lines.append(Self.row("", "LIST", "ASSET KEY", "WHERE / WHEN"))
            lines.append(contentsOf: rows.map { Self.row($0.0, $0.1, $0.2, $0.3) })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(_ t: AuditTotals, elsewhere: Bool) -> String {
        var text = "\(t.expected) expected, \(t.found) found, \(t.missing) missing, \(t.misplaced) misplaced, \(t.unexpected) unexpected"
        if elsewhere, t.expectedElsewhere > 0 { text += ", \(t.expectedElsewhere) expected elsewhere" }
        return text
    }

    static func row(_ category: String, _ listed: String, _ key: String, _ detail: String) -> String {
        let text = "  " + pad(category, 11) + " " + pad(listed, 20) + " " + pad(key, 30) + " " + detail
        return fit(text, tableWidth)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let cut = fit(text, width)
        return cut + String(repeating: " ", count: width - cut.count)
    }

    static func fit(_ text: String, _ width: Int) -> String {
        var end = text
        while end.hasSuffix(" ") { end.removeLast() }
        return end.count <= width ? end : String(end.prefix(width - 1)) + "…"
    }

    /// `2026-12-02 10:15`.
    static func minute(_ time: Timestamp) -> String {
        let iso = time.iso8601
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
}

extension ZoneAudit {
    /// (category, list value, key, where/when) per asset, in category order.
    fileprivate var rows: [(String, String, String, String)] {
        var out: [(String, String, String, String)] = []
        func listed(_ item: AuditItem) -> String { item.expected ?? "-" }
        for item in found {
            out.append(("found", listed(item), item.key ?? "-", item.lastSeen.map { "seen " + AuditReport.minute($0) } ?? ""))
        }
        for item in missing {
            let detail: String
            if let zone = item.zone, let seen = item.lastSeen {
                detail = "seen \(AuditReport.minute(seen)) in \(zone)"
            } else {
                detail = "not seen"
            }
            out.append(("missing", listed(item), item.key ?? "-", detail))
        }
        for item in misplaced {
            out.append(("misplaced", listed(item), item.key ?? "-", "since \(item.since.map(AuditReport.minute) ?? "?") in \(item.zone ?? "?")"))
        }
        for item in unexpected {
            out.append(("unexpected", "-", item.key ?? "-", "here since \(item.since.map(AuditReport.minute) ?? "?")"))
        }
        for item in expectedElsewhere {
            out.append(("elsewhere", listed(item), item.key ?? "-", "belongs in \(item.expectedZone ?? "?")"))
        }
        return out
    }
}

/// A duration as the configuration writes it: `24h`, `90m`, `1d`, `500ms`.
public enum AuditDurationText {
    public static func format(_ duration: Duration) -> String {
        let ms = duration.wholeMilliseconds
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where ms != 0 && ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }
}
