import TagwayModel

/// The `audit` event a running gateway logs for a finished audit (`audit.logEvents: true`), so
/// asset stores that follow the log learn of it like of any movement.
///
/// It is about the audit, not one asset: `asset` is `audit:<zone>` (`audit:*` for every zone,
/// scheme `audit`, raw the list's name), `to` the zone (absent for every zone), `reason` the
/// totals as `expected=N found=N missing=N misplaced=N unexpected=N`, `reads` the rows compared.
public enum AuditEvent {
    public static func make(_ report: AuditReport, gatewayID: String, id: String) -> MovementEvent {
        MovementEvent(id: id, type: .audit, time: report.time, gateway: gatewayID,
                      asset: AssetRef(key: "audit:" + (report.zoneFilter ?? "*"), scheme: "audit", raw: report.source),
                      to: report.zoneFilter, reads: report.totals.expected, reason: reason(report.totals))
    }

    public static func reason(_ t: AuditTotals) -> String {
        "expected=\(t.expected) found=\(t.found) missing=\(t.missing) misplaced=\(t.misplaced) unexpected=\(t.unexpected)"
    }
}
