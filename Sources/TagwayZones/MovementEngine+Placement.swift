import TagwayDebounce
import TagwayModel

/// Where an asset's zone changes: arrivals and moves, anchor switches inside a zone (door
/// crossings), departures, and the geofence alerts these may raise.
extension MovementEngine {
    /// Puts the asset in the zone of `point`: `arrived` if it was nowhere, else `moved`. Leaving
    /// a door zone first settles its crossing (`settleDoor`).
    mutating func place(_ asset: Int32, point: Int32, slot: PresenceSlot?, reader: UInt16, now: Int64, reads: Int32, rssi: Int?,
                        into events: inout [ZoneEvent]) {
        settleDoor(asset, into: &events)
        let from = assets[asset].zone
        let to = map.pointZone[Int(point)]
        assets[asset].zone = to
        assets[asset].anchorPoint = point
        assets[asset].anchorSlot = slot
        assets[asset].reader = reader
        assets[asset].otherSlot = nil
        assets[asset].reportedSide = map.pointSide[Int(point)]
        assets[asset].leanSide = map.pointSide[Int(point)]
        assets[asset].lastSeenInZone = now
        assets[asset].since = now
        assets[asset].reads = 0
        assets[asset].peak = .min
        record(asset, rssi: rssi)
        var event = makeEvent(from == -1 ? .arrived : .moved, asset, now: now)
        event.from = from
        event.to = to
        event.readPoint = point
        event.reads = reads
        emit(event, into: &events)
        updateEpisodes(asset, now: now, into: &events)
    }

    /// Hands the asset to another read point of its own zone. In a door zone, a hand-over to the
    /// other side than the one last reported is a crossing: inside then outside is `out`, outside
    /// then inside is `in`.
    mutating func switchAnchor(_ asset: Int32, point: Int32, slot: PresenceSlot, reader: UInt16, now: Int64,
                               into events: inout [ZoneEvent]) {
        let before = map.pointSide[Int(assets[asset].anchorPoint)]
        let after = map.pointSide[Int(point)]
        if before != after { assets[asset].otherSlot = assets[asset].anchorSlot }
        assets[asset].anchorPoint = point
        assets[asset].anchorSlot = slot
        assets[asset].reader = reader
        guard after != 0 else { return }
        assets[asset].leanSide = after
        if after != assets[asset].reportedSide { cross(asset, to: after, time: now, point: point, into: &events) }
    }

    /// Door reads also keep `leanSide`: the side whose read point has the better window evidence
    /// now (anchor or the latest read point on the other side). A tag that crosses quickly,
    /// without lingering long enough for the anchor to switch, still ends leaning to the far
    /// side; one that turns back ends leaning to the side it came from.
    mutating func updateLean(_ asset: Int32, point: Int32, slot: PresenceSlot) {
        let state = assets[asset]
        let side = map.pointSide[Int(point)]
        let anchorSide = map.pointSide[Int(state.anchorPoint)]
        var otherSlot = state.otherSlot
        if side != anchorSide {
            otherSlot = slot
            assets[asset].otherSlot = slot
        }
        let anchor = state.anchorSlot.flatMap { debouncer.evidence($0) }
        guard let other = otherSlot.flatMap({ debouncer.evidence($0) }), other.windowReads > 0 else {
            assets[asset].leanSide = anchorSide
            return
        }
        let otherWins: Bool
        if let anchor, anchor.windowReads > 0 {
            if let o = other.windowMeanRSSI, let a = anchor.windowMeanRSSI { otherWins = o > a } else {
                otherWins = other.windowReads > anchor.windowReads
            }
        } else {
            otherWins = true
        }
        assets[asset].leanSide = otherWins ? (anchorSide == ZoneMap.inside ? ZoneMap.outside : ZoneMap.inside) : anchorSide
    }

    /// Before an asset leaves a door zone (moves on or departs): if the evidence last leaned to
    /// the other side than the one reported, it went through; report the crossing now, stamped
    /// when the door last read it.
    mutating func settleDoor(_ asset: Int32, into events: inout [ZoneEvent]) {
        let state = assets[asset]
        guard state.reportedSide != 0, state.leanSide != 0, state.leanSide != state.reportedSide else { return }
        cross(asset, to: state.leanSide, time: state.lastSeenInZone, point: state.anchorPoint, into: &events)
    }

    private mutating func cross(_ asset: Int32, to side: UInt8, time: Int64, point: Int32, into events: inout [ZoneEvent]) {
        assets[asset].reportedSide = side
        let zone = assets[asset].zone
        let direction: Direction = side == ZoneMap.outside ? .out : .in
        var event = makeEvent(.passed, asset, now: time)
        event.from = zone
        event.to = zone
        event.readPoint = point
        event.direction = direction
        emit(event, into: &events)
        let rules = assets[asset].rules
        let triggered = rules & (direction == .out ? map.rulesAlertOut : map.rulesAlertIn) & ~map.allowedBy[Int(zone)]
        for r in Self.bits(triggered) {
            alert(asset, rule: r, reason: direction == .out ? .passedOutThroughDoor : .passedInThroughDoor, now: time, into: &events)
        }
    }

    /// The asset has gone (silent for `departAfter`, evicted, or its read point removed across a
    /// restart): `departed` from its zone, and it is forgotten, so its next read is a fresh arrival.
    mutating func depart(_ asset: Int32, time: Int64, cause: ZoneEvent.DepartureCause, into events: inout [ZoneEvent]) {
        settleDoor(asset, into: &events)
        let state = assets[asset]
        if state.zone >= 0 {
            var event = makeEvent(.departed, asset, now: time)
            event.from = state.zone
            event.readPoint = state.anchorPoint
            event.cause = cause
            emit(event, into: &events)
        }
        assets.remove(asset)
    }

    /// Alerts for the rules whose location condition the asset starts to violate in its new
    /// zone. An episode lasts while the violation holds: moving between two forbidden zones does
    /// not alert again; coming back to an allowed zone ends it.
    private mutating func updateEpisodes(_ asset: Int32, now: Int64, into events: inout [ZoneEvent]) {
        let state = assets[asset]
        guard state.rules != 0 else { return }
        let violated = map.violations(of: state.rules, in: state.zone)
        let started = violated & ~state.episodes
        assets[asset].episodes = violated
        let forbidden = map.forbiddenBy[Int(state.zone)]
        for r in Self.bits(started) {
            let reason: ZoneEvent.AlertReason = forbidden & (1 << UInt64(r)) != 0 ? .inForbiddenZone : .outsideAllowedZones
            alert(asset, rule: r, reason: reason, now: now, into: &events)
        }
    }

    private mutating func alert(_ asset: Int32, rule: Int, reason: ZoneEvent.AlertReason, now: Int64, into events: inout [ZoneEvent]) {
        var event = makeEvent(.alert, asset, now: now)
        event.to = assets[asset].zone
        event.readPoint = assets[asset].anchorPoint
        event.rule = Int16(rule)
        event.reason = reason
        emit(event, into: &events)
    }

    private func makeEvent(_ type: EventType, _ asset: Int32, now: Int64) -> ZoneEvent {
        let state = assets[asset]
        var event = ZoneEvent(type: type, tag: assets.tag(asset), isScan: state.isScan, time: Timestamp(milliseconds: now))
        event.reads = state.reads
        event.rssi = state.peak == .min ? nil : state.peak
        event.reader = state.reader
        event.technology = state.isScan ? nil : state.technology
        return event
    }

    private mutating func emit(_ event: ZoneEvent, into events: inout [ZoneEvent]) {
        counters.count(event.type)
        events.append(event)
    }

    /// Indices of the set bits, lowest first.
    static func bits(_ mask: UInt64) -> SetBits { SetBits(rest: mask) }
}

/// The set bits of a mask as indices, lowest first, without allocating.
struct SetBits: Sequence, IteratorProtocol {
    var rest: UInt64

    mutating func next() -> Int? {
        guard rest != 0 else { return nil }
        let bit = rest.trailingZeroBitCount
        rest &= rest - 1
        return bit
    }
}
