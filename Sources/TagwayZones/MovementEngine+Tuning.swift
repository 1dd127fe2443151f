import TagwayDebounce
import TagwayModel

/// The tuning view (`GET /v1/tuning`): which read points hear a tag, how strongly, and why the
/// engine holds it where it does; or every tag one read point hears.
///
/// Computed when asked, from the state the per-read path keeps anyway (the debouncer's window
/// figures and the asset table): nothing is recorded for it, so a gateway nobody tunes pays
/// nothing. The decision for each read point is `Evidence.explain`, the mobility rule itself,
/// with the arguments `ingest` gives it: within the asset's zone, any read point with a read in
/// the window against the anchor read point's own silence; from another zone, `moveAfterReads`
/// reads against the silence of the whole zone.
extension MovementEngine {
    public var tuningSettings: TuningSettings {
        let s = configuration.settings
        return TuningSettings(threshold: s.threshold, holdoffMs: evidence.holdoffMs, slopePerSecond: s.slopePerSecond,
                              floor: s.floor, moveAfterReads: s.moveAfterReads, departAfterMs: departAfterMs,
                              windowMs: debouncer.windowMilliseconds)
    }

    /// The tag as the engine sees it at `now`; nil when it is neither tracked nor heard anywhere.
    public func tuning(tag: TagID, now: Timestamp) -> TagTuning? {
        let at = Swift.max(now.milliseconds, clock)
        let heard = debouncer.presences(of: tag, at: 0..<Int32(map.pointZone.count), asOf: Timestamp(milliseconds: at))
        var tracked = assets.lookup(tag)
        // Its departure fell due and no read or timer has made it yet: it is gone.
        if let asset = tracked, assets[asset].list == 1, assets[asset].lastRead.saturatingAdd(departAfterMs) <= at { tracked = nil }
        guard let asset = tracked else {
            guard !heard.isEmpty else { return nil }
            return TagTuning(tag: tag, isScan: false, zone: nil, anchor: nil, since: nil, silentMs: nil,
                             readPoints: Self.ordered(heard.map { unplaced($0, now: at) }),
                             note: "heard but not placed yet: a tag is placed once a read point has \(arriveAfterReads) read(s) of it in the window")
        }
        let state = assets[asset]
        let anchorName = readPointName(state.anchorPoint)
        let current = state.anchorSlot.flatMap { slot in heard.first { $0.slot == slot }?.evidence }
        var rows: [ReadPointEvidence] = []
        var anchorHeard = false
        for view in heard {
            if view.readPoint == state.anchorPoint {
                anchorHeard = true
                rows.append(anchorRow(view.readPoint, view.evidence, isScan: state.isScan, now: at))
            } else {
                rows.append(candidateRow(view, state: state, current: current, anchor: anchorName, now: at))
            }
        }
        if !anchorHeard, state.anchorPoint >= 0 { rows.append(anchorRow(state.anchorPoint, nil, isScan: state.isScan, now: at)) }
        return TagTuning(tag: tag, isScan: state.isScan, zone: zoneID(state.zone), anchor: anchorName,
                         since: Timestamp(milliseconds: state.since), silentMs: at.saturatingSubtract(state.lastSeenInZone),
                         readPoints: Self.ordered(rows), note: nil)
    }

    /// Every tag `readPoint` hears at `now`, strongest first, at most `limit`; nil when the engine
    /// knows no read point of that name. Costs one walk of the present tags.
    public func tuning(readPoint name: String, now: Timestamp, limit: Int = 200) -> ReadPointTuning? {
        guard let point = readPointIndex[name] else { return nil }
        let at = Swift.max(now.milliseconds, clock)
        var tags: [HeardTag] = debouncer.presences(at: point, asOf: Timestamp(milliseconds: at)).map { view in
            var zone: String?
            var anchor = false
            if let asset = assets.lookup(view.tag), assets[asset].list != 1 || assets[asset].lastRead.saturatingAdd(departAfterMs) > at {
                zone = zoneID(assets[asset].zone)
                anchor = assets[asset].anchorPoint == point
            }
            let e = view.evidence
            return HeardTag(tag: view.tag, zone: zone, anchor: anchor, windowReads: Int(e.windowReads),
                            readsPerSecond: rate(e.windowReads), meanRSSI: e.windowMeanRSSI,
                            lastSeenMsAgo: Swift.max(0, at.saturatingSubtract(e.lastSeen)))
        }
        tags.sort { a, b in
            if a.meanRSSI != b.meanRSSI { return (a.meanRSSI ?? -.infinity) > (b.meanRSSI ?? -.infinity) }
            if a.windowReads != b.windowReads { return a.windowReads > b.windowReads }
            return a.tag < b.tag
        }
        let bound = Swift.max(0, limit)
        let truncated = tags.count > bound
        if truncated { tags.removeSubrange(bound...) }
        let zone = map.pointZone[Int(point)]
        return ReadPointTuning(readPoint: name, zone: zoneID(zone), side: Self.doorSide(map.pointSide[Int(point)]),
                               tags: tags, truncated: truncated)
    }

    // MARK: rows

    private func anchorRow(_ point: Int32, _ e: PresenceEvidence?, isScan: Bool, now: Int64) -> ReadPointEvidence {
        let why = isScan
            ? "the anchor: placed by a barcode scan here; it stays until it is scanned or read somewhere else"
            : "the anchor: the asset's zone comes from this read point"
        return row(point, e, anchor: true, handOver: nil, why: why, now: now)
    }

    private func candidateRow(_ view: PresenceView, state: AssetState, current: PresenceEvidence?, anchor: String,
                              now: Int64) -> ReadPointEvidence {
        let point = view.readPoint
        let zone = map.pointZone[Int(point)]
        let verdict: HandOver
        if zone == state.zone {
            let side = map.pointSide[Int(point)]
            let onWin = side != 0 && side != state.reportedSide
                ? "a crossing: the asset passed \(side == ZoneMap.outside ? "out" : "in") through \(zoneID(zone) ?? "?")"
                : "it becomes the anchor (same zone, no event)"
            let silent = current.map { now.saturatingSubtract($0.lastSeen) } ?? .max
            verdict = evidence.explain(view.evidence, over: current, silentMs: silent, minReads: 1, anchor: anchor, onWin: onWin)
        } else {
            verdict = evidence.explain(view.evidence, over: current, silentMs: now.saturatingSubtract(state.lastSeenInZone),
                                       minReads: evidence.moveAfterReads, anchor: anchor,
                                       onWin: "the asset moves to \(zoneID(zone) ?? "?")")
        }
        return row(point, view.evidence, anchor: false, handOver: verdict, why: verdict.why, now: now)
    }

    /// A read point hearing a tag the engine has not placed: `ingest` places it at the first read
    /// point whose window reaches `arriveAfterReads`.
    private func unplaced(_ view: PresenceView, now: Int64) -> ReadPointEvidence {
        let reads = view.evidence.windowReads
        let zone = zoneID(map.pointZone[Int(view.readPoint)]) ?? "?"
        let why = reads &+ 1 >= arriveAfterReads
            ? "not placed yet: its next read here places it in \(zone)"
            : "not placed yet: \(reads) reads in the window, \(arriveAfterReads) needed (arriveAfterReads)"
        return row(view.readPoint, view.evidence, anchor: false, handOver: nil, why: why, now: now)
    }

    private func row(_ point: Int32, _ e: PresenceEvidence?, anchor: Bool, handOver: HandOver?, why: String,
                     now: Int64) -> ReadPointEvidence {
        ReadPointEvidence(readPoint: readPointName(point), zone: zoneID(map.pointZone[Int(point)]),
                          side: Self.doorSide(map.pointSide[Int(point)]), anchor: anchor,
                          windowReads: Int(e?.windowReads ?? 0), readsPerSecond: rate(e?.windowReads ?? 0),
                          meanRSSI: e?.windowMeanRSSI, lastSeenMsAgo: e.map { Swift.max(0, now.saturatingSubtract($0.lastSeen)) },
                          handOver: handOver, why: why)
    }

    /// Reads per second over the whole window (a tag that arrived within it shows a lower rate).
    private func rate(_ reads: Int32) -> Double {
        let window = debouncer.windowMilliseconds
        guard window > 0 else { return 0 }
        return (Double(reads) * 1000 / Double(window) * 10).rounded() / 10
    }

    private static func ordered(_ rows: [ReadPointEvidence]) -> [ReadPointEvidence] {
        rows.sorted { a, b in
            if a.anchor != b.anchor { return a.anchor }
            if a.meanRSSI != b.meanRSSI { return (a.meanRSSI ?? -.infinity) > (b.meanRSSI ?? -.infinity) }
            if a.windowReads != b.windowReads { return a.windowReads > b.windowReads }
            return a.readPoint < b.readPoint
        }
    }
}
