import TagwayModel

/// Expected-vs-found: an asset store's list against the gateway's asset state. Pure: the state
/// and "now" are passed in, so the same inputs always give the same report.
public enum Audit {
    /// - `zones`: the configured zone ids; each gets a section (even an empty one), as does any
    ///   zone the list or the state names.
    /// - `freshness`: an asset last read longer ago than this before `now` is not seen.
    /// - `filter`: only this zone's section (assets expected here, and assets seen here).
    public static func compare(expected: ExpectedAssetList, found records: [AssetRecord], zones: [String], freshness: Duration,
                               now: Timestamp, zone filter: String?, lastSeq: Int64? = nil) -> AuditReport {
        let index = RecordIndex(records)
        var claimed = [Bool](repeating: false, count: records.count)
        var sections: [String: ZoneAudit] = [:]
        func section(_ zone: String) -> ZoneAudit { sections[zone] ?? ZoneAudit(zone: zone) }
        func isFresh(_ record: AssetRecord) -> Bool { now - record.lastRead <= freshness }

        for entry in expected.entries {
            let choice = index.match(entry, records: records, claimed: claimed, isFresh: isFresh)
            var item = AuditItem(expected: entry.tag, line: entry.line)
            var zone = section(entry.zone)
            guard let choice else {
                zone.missing.append(item)
                sections[entry.zone] = zone
                continue
            }
            claimed[choice] = true
            let record = records[choice]
            item.key = record.asset.key
            item.zone = record.zone
            item.since = record.since
            item.lastSeen = record.lastRead
            item.readPoint = record.readPoint
            if !isFresh(record) {
                zone.missing.append(item)
            } else if record.zone == entry.zone {
                zone.found.append(item)
            } else {
                zone.misplaced.append(item)
                var there = section(record.zone)
                var visiting = item
                visiting.expectedZone = entry.zone
                there.expectedElsewhere.append(visiting)
                sections[record.zone] = there
            }
            sections[entry.zone] = zone
        }
        for (position, record) in records.enumerated() where !claimed[position] && isFresh(record) {
            var zone = section(record.zone)
            zone.unexpected.append(AuditItem(key: record.asset.key, zone: record.zone, since: record.since,
                                             lastSeen: record.lastRead, readPoint: record.readPoint))
            sections[record.zone] = zone
        }
        for zone in zones where sections[zone] == nil { sections[zone] = ZoneAudit(zone: zone) }

        var list = sections.values.filter { filter == nil || $0.zone == filter }
        if let filter, list.isEmpty { list = [ZoneAudit(zone: filter)] }
        list.sort { $0.zone < $1.zone }
        var totals = AuditTotals()
        for position in list.indices {
            list[position].sortItems()
            totals.add(list[position].totals)
        }
        return AuditReport(time: now, freshness: freshness, zoneFilter: filter, source: expected.source, lastSeq: lastSeq,
                           zones: list, totals: totals)
    }
}

extension ZoneAudit {
    /// By asset (the list's value, else the key), then line: the same report for the same inputs.
    mutating func sortItems() {
        func byAsset(_ a: AuditItem, _ b: AuditItem) -> Bool {
            let left = a.expected ?? a.key ?? ""
            let right = b.expected ?? b.key ?? ""
            if left != right { return left < right }
            return (a.line ?? 0) < (b.line ?? 0)
        }
        found.sort(by: byAsset)
        missing.sort(by: byAsset)
        misplaced.sort(by: byAsset)
        unexpected.sort(by: byAsset)
        expectedElsewhere.sort(by: byAsset)
    }
}

/// The state's assets by key and by the asset tag their key carries (`AssetTagMatch`).
struct RecordIndex {
    var byKey: [String: Int] = [:]
    var byTag: [String: [Int]] = [:]

    init(_ records: [AssetRecord]) {
        byKey.reserveCapacity(records.count)
        for (position, record) in records.enumerated() {
            byKey[record.asset.key] = position
            if let tag = AssetTagMatch.tag(ofKey: record.asset.key) { byTag[tag, default: []].append(position) }
        }
    }

    /// The asset an entry names: its key exactly, else an asset whose tag it is. When several
    /// carry the tag (a GIAI tag and a plain barcode label), the one in the expected zone and
    /// seen wins, then one seen, then the most recently read, then the smallest key. An asset
    /// already claimed by an earlier row is not taken twice.
    func match(_ entry: ExpectedAsset, records: [AssetRecord], claimed: [Bool], isFresh: (AssetRecord) -> Bool) -> Int? {
        if let exact = byKey[entry.tag], !claimed[exact] { return exact }
        guard let candidates = byTag[entry.tag] else { return nil }
        func rank(_ position: Int) -> (Int, Int) {
            let record = records[position]
            let fresh = isFresh(record)
            return (fresh && record.zone == entry.zone ? 0 : 1, fresh ? 0 : 1)
        }
        return candidates.filter { !claimed[$0] }.min { a, b in
            let (ra, rb) = (rank(a), rank(b))
            if ra != rb { return ra < rb }
            let (la, lb) = (records[a].lastRead, records[b].lastRead)
            if la != lb { return la > lb }
            return records[a].asset.key < records[b].asset.key
        }
    }
}
