import TagwayModel

/// The report for machines. Field names are stable (README "Audit: expected vs found"); absent
/// values are left out, times are RFC 3339 UTC with milliseconds like events' `time`.
extension AuditReport {
    public var json: String {
        var w = JSONObjectWriter()
        w.string("time", time.iso8601)
        if let zoneFilter { w.string("zone", zoneFilter) } else { w.raw("zone", "null") }
        w.string("source", source)
        w.string("freshness", AuditDurationText.format(freshness))
        w.number("freshnessSeconds", freshness.wholeMilliseconds / 1000)
        if let lastSeq { w.number("lastSeq", lastSeq) }
        w.raw("totals", Self.json(totals, perZone: false))
        w.raw("zones", "[" + zones.map(\.json).joined(separator: ",") + "]")
        return w.finish()
    }

    static func json(_ t: AuditTotals, perZone: Bool) -> String {
        var w = JSONObjectWriter()
        w.number("expected", Int64(t.expected))
        w.number("found", Int64(t.found))
        w.number("missing", Int64(t.missing))
        w.number("misplaced", Int64(t.misplaced))
        w.number("unexpected", Int64(t.unexpected))
        if perZone { w.number("expectedElsewhere", Int64(t.expectedElsewhere)) }
        return w.finish()
    }
}

extension ZoneAudit {
    public var json: String {
        var w = JSONObjectWriter()
        w.string("zone", zone)
        w.raw("totals", AuditReport.json(totals, perZone: true))
        for (name, items) in [("found", found), ("missing", missing), ("misplaced", misplaced), ("unexpected", unexpected),
                              ("expectedElsewhere", expectedElsewhere)] {
            w.raw(name, "[" + items.map(\.json).joined(separator: ",") + "]")
        }
        return w.finish()
    }
}

extension AuditItem {
    public var json: String {
        var w = JSONObjectWriter()
        if let expected { w.string("expected", expected) }
        if let line { w.number("line", Int64(line)) }
        if let key { w.string("key", key) }
        if let zone { w.string("zone", zone) }
        if let expectedZone { w.string("expectedZone", expectedZone) }
        if let since { w.string("since", since.iso8601) }
        if let lastSeen { w.string("lastSeen", lastSeen.iso8601) }
        if let readPoint { w.string("readPoint", readPoint) }
        return w.finish()
    }
}
