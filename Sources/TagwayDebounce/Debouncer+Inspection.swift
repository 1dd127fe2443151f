import TagwayModel

/// A present tag at one read point as the debouncer would see it at a given time: for the tuning
/// view (`GET /v1/tuning`), which asks while the gateway runs, so nothing here changes the
/// debouncer or costs anything until someone asks.
public struct PresenceView: Hashable, Sendable {
    public var readPoint: Int32
    public var tag: TagID
    public var slot: PresenceSlot
    /// Reached `arriveAfterReads`: the debouncer reported it arrived.
    public var confirmed: Bool
    /// The window figures as of the time asked: reads older than the window are left out even
    /// when no read or `advance` has expired them from the ring yet.
    public var evidence: PresenceEvidence
}

/// Read-only questions about what the debouncer holds, answered as of a time `now` passed in.
///
/// The debouncer's window figures are exact at its own clock (the last read or `advance`). When
/// the readers fall silent the clock stops, so the figures of a tag that was last read a while
/// ago still count reads older than the window; these views subtract them (one walk of the
/// ring's stale head), and leave out presences whose departure fell due. The per-read path is not
/// involved.
extension Debouncer {
    /// How far back the sliding window reaches, in milliseconds.
    public var windowMilliseconds: Int64 { windowMs }

    /// What kind of tag the latest read of `tag` at `readPoint` said it is; nil when it is not present there.
    public func technology(of tag: TagID, at readPoint: Int32) -> TagObservation.Technology? {
        table.find(PresenceKey(readPoint: readPoint, tag: tag), tag: tag).map { table.technology($0) }
    }

    /// The RFID presence of `tag` at `readPoint`; nil when it is not present there (or its
    /// departure fell due by `now`).
    public func presence(of tag: TagID, at readPoint: Int32, asOf now: Timestamp) -> PresenceView? {
        guard let slot = table.find(PresenceKey(readPoint: readPoint, tag: tag), tag: tag) else { return nil }
        return makeView(slot, now: effective(now), stale: staleReads(asOf: now))
    }

    /// The RFID presences of `tag` at each of `readPoints` (the read points the caller knows).
    public func presences(of tag: TagID, at readPoints: Range<Int32>, asOf now: Timestamp) -> [PresenceView] {
        let stale = staleReads(asOf: now)
        let at = effective(now)
        var out: [PresenceView] = []
        for point in readPoints {
            guard let slot = table.find(PresenceKey(readPoint: point, tag: tag), tag: tag) else { continue }
            if let found = makeView(slot, now: at, stale: stale) { out.append(found) }
        }
        return out
    }

    /// Every RFID presence at `readPoint`: one walk of the present tags (not of the capacity).
    public func presences(at readPoint: Int32, asOf now: Timestamp) -> [PresenceView] {
        let stale = staleReads(asOf: now)
        let at = effective(now)
        var out: [PresenceView] = []
        table.visitNewest { slot in
            guard table.readPoint(slot) == readPoint, let found = makeView(slot, now: at, stale: stale) else { return }
            out.append(found)
        }
        return out
    }

    // MARK: internals

    /// Time never runs backwards here either: a `now` before the debouncer's clock is its clock.
    private func effective(_ now: Timestamp) -> Int64 { Swift.max(now.milliseconds, clock) }

    private func makeView(_ slot: Int32, now: Int64, stale: [Int32: PresenceEvidence]) -> PresenceView? {
        guard table.isOccupied(slot), !table.isScan(slot),
              table.lastSeen(slot).saturatingAdd(departAfterMs) > now else { return nil }
        var evidence = table.evidence(slot)
        if let old = stale[slot] {
            evidence.windowReads -= old.windowReads
            evidence.windowRSSISum -= old.windowRSSISum
            evidence.windowRSSICount -= old.windowRSSICount
        }
        return PresenceView(readPoint: table.readPoint(slot), tag: table.tag(slot),
                            slot: PresenceSlot(index: slot, generation: table.generation(slot)),
                            confirmed: table.isConfirmed(slot), evidence: evidence)
    }

    /// Per slot, the reads still in the ring that are out of the window at `now` (what the next
    /// read or `advance` would expire), summed like the slot's own window figures.
    private func staleReads(asOf now: Timestamp) -> [Int32: PresenceEvidence] {
        let cutoff = effective(now).saturatingSubtract(windowMs)
        var stale: [Int32: PresenceEvidence] = [:]
        ring.visitOldest { entry in
            guard entry.time <= cutoff else { return false }
            guard table.generation(entry.slot) == entry.generation, table.isOccupied(entry.slot) else { return true }
            var sum = stale[entry.slot] ?? PresenceEvidence(lastSeen: 0, windowReads: 0, windowRSSISum: 0, windowRSSICount: 0)
            sum.windowReads += 1
            if entry.rssi != Int16.min {
                sum.windowRSSISum += Int32(entry.rssi)
                sum.windowRSSICount += 1
            }
            stale[entry.slot] = sum
            return true
        }
        return stale
    }
}
