import TagwayIdentity
import TagwayModel

/// The one-time fold of a previous release's log (schema v3: events, no `assets` rows) into the
/// asset state those events imply, so the first start after the upgrade does not see every asset
/// in range arrive again. Pure: events in, rows out; `EventLog` runs it once, at open.
///
/// Per asset key, in seq order: `arrived`/`moved` place it (zone, since, read point, reader,
/// reads, RSSI; a scan is placed only at a `mode: scan` zone, so it is `stationed`); `departed`
/// removes it; `passed` sets the door side from the direction (in: inside, out: outside) and the
/// anchor read point; `alert` adds its rule to the open episodes; `observed` (a scan of a tracked
/// asset) is a read of it. Every event of a tracked asset is its newest read (`last_read`).
///
/// The engine's identity is recovered from the event: a scan when `symbology` is set or the
/// scheme is `barcode`/`gs1` (symbology UTF-8, NUL, the unescaped raw data, as `ScanCode` keys
/// scans), else a tag whose bytes are the hex of `asset_raw`, its technology from the scheme.
/// The one ambiguity: a GS1 barcode scanned without an AIM symbology identifier whose key maps to
/// an EPC scheme (`giai`, `sgtin`, ...) has an EPC scheme and no symbology, exactly like a tag of
/// that scheme, so it is taken for a tag. Its raw text is usually not hex: the event is skipped
/// and the asset arrives again on its next scan. When the text happens to be all hex digits, the
/// row is keyed by bytes no read produces: the asset arrives again on its next scan, and the stale
/// row departs `departAfter` after its last event (a tag row departs by silence).
/// Not in v3 events, so approximated: the door side of an asset that arrived in a door zone and
/// has not crossed (nil; the lean side follows the last crossing), and episodes (v3 logs record no
/// episode's end: they start empty at each arrived/moved and collect the alerts after it).
public struct AssetStateRebuild: Sendable {
    private var rows: [String: AssetRecord] = [:]

    public init() {}

    /// The rows `events` (in seq order) imply, in asset key order, each stamped `lastSeq`.
    public static func fold(_ events: [MovementEvent], lastSeq: Int64) throws(EventLogError) -> [AssetRecord] {
        var rebuild = AssetStateRebuild()
        for event in events { try rebuild.apply(event) }
        return rebuild.records(lastSeq: lastSeq)
    }

    public func records(lastSeq: Int64) -> [AssetRecord] {
        rows.keys.sorted().compactMap { key in rows[key].map { var r = $0; r.seq = lastSeq; return r } }
    }

    /// Folds the next event (seq order). A value no v3 gateway writes is a `corruptRow` naming it.
    public mutating func apply(_ event: MovementEvent) throws(EventLogError) {
        let seq = event.seq ?? 0
        switch event.type {
        case .arrived, .moved:
            guard let zone = event.to else { throw .corruptRow(seq: seq, message: "\(event.type.rawValue) without a zone (to_zone is NULL)") }
            guard let identity = Self.identity(of: event) else { return }
            rows[event.asset.key] = AssetRecord(
                tag: identity.tag, isScan: identity.isScan, technology: identity.technology, asset: event.asset,
                symbology: event.symbology, zone: zone, since: event.time, readPoint: event.readPoint ?? "",
                reader: event.reader, lastRead: event.time, lastReadInZone: event.time, reads: max(1, event.reads ?? 1),
                peakRSSI: event.rssi, stationed: identity.isScan)
        case .departed:
            rows[event.asset.key] = nil
        case .passed:
            guard var row = rows[event.asset.key] else { return }
            switch event.direction {
            case .in?: row.doorSide = .inside
            case .out?: row.doorSide = .outside
            case nil: throw .corruptRow(seq: seq, message: "passed without a direction")
            }
            row.read(event)
            row.leanSide = row.doorSide
            if let point = event.readPoint { row.readPoint = point }
            if let reader = event.reader { row.reader = reader }
            rows[event.asset.key] = row
        case .alert:
            guard var row = rows[event.asset.key] else { return }
            guard let rule = event.rule else { throw .corruptRow(seq: seq, message: "alert without a rule") }
            if !row.episodes.contains(rule) { row.episodes.append(rule) }
            row.lastRead = max(row.lastRead, event.time)
            rows[event.asset.key] = row
        case .observed:
            guard var row = rows[event.asset.key] else { return }
            row.read(event)
            rows[event.asset.key] = row
        case .audit, .unknown:
            // Not a movement (and not written by a v3 gateway): no asset changes.
            return
        }
    }

    /// The movement engine's key for the asset of `event`; nil when a tag's raw text is not hex
    /// (the ambiguity above).
    static func identity(of event: MovementEvent) -> (tag: TagID, isScan: Bool, technology: String?)? {
        let scheme = event.asset.scheme
        if event.symbology != nil || scheme == "barcode" || scheme == "gs1" {
            let bytes = Array((event.symbology ?? "").utf8) + [0] + BarcodeText.unescaped(event.asset.raw)
            return (TagID(bytes: bytes), true, nil)
        }
        guard let tag = TagID(hex: event.asset.raw) else { return nil }
        switch scheme {
        case "em4100", "iso14443a": return (tag, false, scheme)
        default: return (tag, false, TagObservation.Technology.epcGen2.rawValue)
        }
    }
}

extension AssetRecord {
    /// A read of the asset by `event`: newest read, and a read in its zone when it is there.
    fileprivate mutating func read(_ event: MovementEvent) {
        lastRead = max(lastRead, event.time)
        if event.to == zone {
            lastReadInZone = max(lastReadInZone, event.time)
            reads = reads.saturatingAdd(1)
            if let rssi = event.rssi { peakRSSI = max(peakRSSI ?? rssi, rssi) }
        }
    }
}
