import TagwayIdentity
import TagwayModel
import TagwayZones

/// Turns the engine's index-only events into the event contract (DESIGN §2): zone, read point,
/// reader and rule ids, the asset's canonical key, and the reason in words.
///
/// | type | from | to | direction | readPoint | rule, reason |
/// |---|---|---|---|---|---|
/// | arrived | | zone | | read point that placed it | |
/// | moved | old zone | new zone | | read point that won it | |
/// | departed | zone | | | its last anchor read point | reason when not silent (evicted, restart) |
/// | passed | | door zone | in / out | read point on the side it ended on | |
/// | observed | | zone of the scanner | | scanner's read point | |
/// | alert | | zone it is in | | its anchor read point | rule id, reason |
struct ZoneEventNaming {
    let engine: MovementEngine
    let gatewayID: String
    let companyPrefixes: GS1CompanyPrefixLengths
    /// Assets restored at the start and not departed since: named as their row names them (no
    /// read point has told this run their technology yet).
    var restored: [TagID: AssetIdentity] = [:]

    func event(for e: ZoneEvent, using rng: inout some RandomNumberGenerator) -> MovementEvent {
        let point = e.readPoint >= 0 ? engine.readPointName(e.readPoint) : nil
        var symbology: String?
        let asset: AssetRef
        if !restored.isEmpty, let identity = restored[e.tag] {
            asset = identity.asset
            symbology = identity.symbology
        } else if e.isScan {
            let scan = ScanCode.scan(from: e.tag)
            symbology = scan.symbology
            asset = AssetKeyResolver.assetRef(for: scan, companyPrefixes: companyPrefixes)
        } else {
            asset = AssetKeyResolver.assetRef(for: TagObservation(technology: e.technology ?? .epcGen2, id: e.tag))
        }
        var event = MovementEvent(id: EventID.make(time: e.time, using: &rng), type: e.type, time: e.time, gateway: gatewayID,
                                  asset: asset, readPoint: point, reader: engine.readerName(e.reader),
                                  rssi: e.rssi.map(Int.init), reads: e.reads > 0 ? Int(e.reads) : nil,
                                  rule: engine.ruleID(e.rule), reason: engine.reasonText(e), symbology: symbology)
        switch e.type {
        case .moved:
            event.from = engine.zoneID(e.from)
            event.to = engine.zoneID(e.to)
        case .departed:
            event.from = engine.zoneID(e.from)
        case .arrived, .passed, .observed, .alert, .audit, .unknown:
            event.to = engine.zoneID(e.to)
        }
        if e.type == .passed { event.direction = e.direction }
        if e.type == .observed { event.reads = 1 }
        return event
    }
}
