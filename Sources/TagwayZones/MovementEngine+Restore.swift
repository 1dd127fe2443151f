import TagwayDebounce
import TagwayModel

/// Taking the asset table out of the engine (to write it durably) and back in at a start.
extension MovementEngine {
    /// The asset of `tag` with names and times; nil when it is not tracked.
    public func snapshot(of tag: TagID) -> EngineAsset? {
        guard let asset = assets.lookup(tag) else { return nil }
        let state = assets[asset]
        var episodes: [String] = []
        for r in Self.bits(state.episodes) where r < map.rules.count { episodes.append(map.rules[r].id) }
        return EngineAsset(tag: tag, isScan: state.isScan, zone: zoneID(state.zone) ?? "", readPoint: readPointName(state.anchorPoint),
                           since: Timestamp(milliseconds: state.since), lastRead: Timestamp(milliseconds: state.lastRead),
                           lastSeenInZone: Timestamp(milliseconds: state.lastSeenInZone),
                           reportedSide: Self.doorSide(state.reportedSide), leanSide: Self.doorSide(state.leanSide),
                           reads: Int(state.reads), peakRSSI: state.peak == .min ? nil : Int(state.peak),
                           episodes: episodes, stationed: state.list == 2, reader: readerName(state.reader),
                           technology: state.isScan ? nil : state.technology)
    }

    /// The latest time the engine has seen (reads and `advance`): no asset's last read is later.
    public var latestTime: Timestamp { Timestamp(milliseconds: clock) }

    /// The index of a read point already known, without registering it.
    public func knownReadPoint(named name: String) -> Int32? { readPointIndex[name] }

    /// Assets read after `time`, newest first. Both recency lists are in last-read order, so this
    /// walks back from their tails and stops at the first older one: the cost is the number of
    /// assets returned, not the size of the table.
    public func assetsRead(after time: Timestamp) -> [TagID] {
        var out: [TagID] = []
        for list: UInt8 in [1, 2] {
            var cursor = assets.tail(list)
            while let asset = cursor, assets[asset].lastRead > time.milliseconds {
                out.append(assets.tag(asset))
                let prev = assets[asset].prev
                cursor = prev == AssetTable.none ? nil : prev
            }
        }
        return out
    }

    /// Loads assets written before a stop into a fresh engine, before its first read.
    ///
    /// Each asset is placed at its anchor read point, in that read point's zone in the
    /// configuration of now (a zone re-labelled across the restart makes no event), with no
    /// debouncer statistics: its first read re-anchors it without an event unless the read
    /// really is elsewhere. Rules are matched again through `identify`; open episodes are the
    /// rules it violates where it is, taken silently (an alert is not repeated after a restart).
    /// Assets whose anchor read point is not in `configuredReadPoints` depart at `now`
    /// (`readPointRemoved`); beyond `maxAssets`, the least recently read depart at `now`
    /// (`evicted`). Then the departures due by `now` are made, at their real times
    /// (`lastRead + departAfter`, `notSeenSinceRestart`). Tags already tracked are skipped.
    @discardableResult
    public mutating func restore(_ restored: [RestoredAsset], configuredReadPoints: Set<String>, now: Timestamp,
                                 identify: (TagID) -> AssetRef, into events: inout [ZoneEvent]) -> RestoreSummary {
        assets.makeUnique()
        var summary = RestoreSummary()
        var seen = Set<TagID>()
        var placeable: [RestoredAsset] = []
        var removed: [RestoredAsset] = []
        for asset in restored where assets.lookup(asset.tag) == nil && seen.insert(asset.tag).inserted {
            if configuredReadPoints.contains(asset.readPoint) { placeable.append(asset) } else { removed.append(asset) }
        }
        // Newest first, so the ones kept when the table is too small are the most recently read.
        placeable = placeable.enumerated().sorted {
            $0.element.lastRead != $1.element.lastRead ? $0.element.lastRead > $1.element.lastRead : $0.offset < $1.offset
        }.map(\.element)
        let room = assets.capacity - assets.count
        let evicted = placeable.count > room ? Array(placeable[room...]) : []
        if !evicted.isEmpty { placeable.removeLast(evicted.count) }
        for asset in removed {
            departAtRestore(asset, cause: .readPointRemoved, now: now, into: &events)
            summary.readPointRemoved += 1
        }
        for asset in evicted {
            counters.evictions += 1
            departAtRestore(asset, cause: .evicted, now: now, into: &events)
            summary.evicted += 1
        }
        // Oldest first: each insert links at the tail, so the recency lists stay in last-read order.
        for asset in placeable.reversed() {
            place(restored: asset, identify: identify)
            summary.restored += 1
        }
        if let newest = placeable.first?.lastRead.milliseconds, newest > clock { clock = newest }
        let before = events.count
        advance(to: now, into: &events)
        summary.departedWhileStopped = events[before...].filter { $0.cause == .notSeenSinceRestart }.count
        return summary
    }

    private mutating func place(restored asset: RestoredAsset, identify: (TagID) -> AssetRef) {
        let point = readPoint(named: asset.readPoint)
        let index = assets.insert(asset.tag, isScan: asset.isScan, list: asset.stationed ? 2 : 1, at: asset.lastRead.milliseconds)
        let side = map.pointSide[Int(point)]
        assets[index].anchorPoint = point
        assets[index].reader = asset.reader.map { reader(named: $0) } ?? Read.noReader
        // A row written without one (a scan, or an older row): epc-gen2, as its key was made.
        assets[index].technology = asset.technology ?? .epcGen2
        assets[index].zone = map.pointZone[Int(point)]
        assets[index].since = asset.since.milliseconds
        assets[index].lastSeenInZone = asset.lastSeenInZone.milliseconds
        assets[index].reads = Int32(clamping: asset.reads)
        assets[index].peak = asset.peakRSSI.map { Int16(clamping: $0) } ?? .min
        // Door sides only mean something at a door read point (the zone may have stopped being a door).
        let reported = side == 0 ? 0 : asset.reportedSide.map(Self.sideCode) ?? side
        assets[index].reportedSide = reported
        assets[index].leanSide = side == 0 ? 0 : asset.leanSide.map(Self.sideCode) ?? reported
        assets[index].restored = true
        resolveRules(index, identify: identify)
    }

    /// A restored asset that cannot be placed departs at once from the zone it was in.
    private mutating func departAtRestore(_ asset: RestoredAsset, cause: ZoneEvent.DepartureCause, now: Timestamp,
                                          into events: inout [ZoneEvent]) {
        var event = ZoneEvent(type: .departed, tag: asset.tag, isScan: asset.isScan, time: Timestamp(milliseconds: Swift.max(now.milliseconds, clock)))
        event.from = map.zone(id: asset.zone)
        event.readPoint = readPoint(named: asset.readPoint)
        event.reader = asset.reader.map { reader(named: $0) } ?? Read.noReader
        event.technology = asset.isScan ? nil : asset.technology ?? .epcGen2
        event.reads = Int32(clamping: asset.reads)
        event.rssi = asset.peakRSSI.map { Int16(clamping: $0) }
        event.cause = cause
        counters.count(.departed)
        events.append(event)
    }

    static func doorSide(_ code: UInt8) -> DoorSide? {
        switch code {
        case ZoneMap.inside: .inside
        case ZoneMap.outside: .outside
        default: nil
        }
    }

    static func sideCode(_ side: DoorSide) -> UInt8 { side == .inside ? ZoneMap.inside : ZoneMap.outside }
}
