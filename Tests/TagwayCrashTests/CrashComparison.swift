import TagwayModel

/// Compares the union of events logged by a run that was SIGKILLed and restarted (`crashed`)
/// with those of the same scenario run without kills (`reference`). Pure: times are relative to
/// each run's scenario start, downtimes are given.
///
/// What the documented restart semantics allow, and nothing else:
/// 1. Per asset, the sequence of (type, from, to, direction, rule) is the same in both runs: no
///    event invented (no second `arrived` for an asset that never left, no false departure), none
///    lost (every departure present), none twice.
/// 2. Times: an event may come later than in the reference by at most the longest downtime plus
///    `tolerance` (its reads fell in a downtime and were seen after the restart); never earlier
///    than `tolerance`, except a departure: that one may be earlier by up to the state interval
///    plus one poll, because after a SIGKILL `last_read_ms` is up to `stateInterval` old and the
///    departure is `last_read_ms + departAfter`.
/// 3. A departure with reason "not seen since restart" needs a restart between the asset's
///    stored last read and the departure (kill at or after `time - departAfter - tolerance`,
///    before `time + tolerance`); any other departure has the reference's reason.
/// 4. A departure that falls inside a downtime (between a kill and the next gateway being ready)
///    has reason "not seen since restart" and the real time: between `kill + departAfter -
///    stateInterval - poll - tolerance` and `kill + departAfter + tolerance` (the asset was read
///    until the kill at the latest).
/// 5. In the crashed run's log: ids unique, seq strictly increasing.
/// 6. Reads made while the gateway is down are never seen, and an event not yet committed at the
///    kill is gone with the reads that made it: an asset whose first stay began just before a kill
///    or during a downtime (up to `departAfter` after the restart, the time its evidence needs)
///    and that moved on before the restarted gateway placed it there shows its next placement as
///    its `arrived` (`arrived store, moved store→lab` becomes `arrived lab`); at a door whose
///    first side went unseen it arrives on the far side, with no `passed` (`arrived door, passed
///    out` becomes `arrived door`). Nothing else of its history may differ.
struct CrashComparison {
    struct Timing {
        var departAfter: Int64
        var stateInterval: Int64
        var poll: Int64
        var tolerance: Int64
    }

    struct Downtime {
        /// Scenario-relative ms.
        var killed: Int64
        var ready: Int64
    }

    static let restartReason = "not seen since restart"

    /// Rule 6: the reference history as the crashed run could see it, when its first stay fell in
    /// a downtime; otherwise `r` unchanged.
    static func withoutUnseenStay(_ r: [MovementEvent], crashed g: [MovementEvent], referenceStart: Int64,
                                  downtimes: [Downtime], timing: Timing) -> [MovementEvent] {
        guard r.count >= 2, let first = g.first, r[0].type == .arrived, first.type == .arrived else { return r }
        let began = r[0].time.milliseconds - referenceStart
        let unseen = downtimes.contains { began >= $0.killed - timing.tolerance && began <= $0.ready + timing.departAfter }
        guard unseen else { return r }
        if r[1].type == .moved, r[0].to != first.to, r[1].to == first.to {
            var arrival = r[1]
            arrival.type = .arrived
            arrival.from = nil
            return [arrival] + r.dropFirst(2)
        }
        // A door's first side unseen: it arrives on the far side, so there is no crossing to report.
        if r[1].type == .passed, r[0].to == first.to, first.readPoint != r[0].readPoint || first.readPoint == nil {
            var arrival = r[0]
            arrival.time = r[1].time  // placed when its far side was, where the crossing was seen
            return [arrival] + r.dropFirst(2)
        }
        return r
    }

    static func key(_ e: MovementEvent) -> String {
        "\(e.type.rawValue) from=\(e.from ?? "-") to=\(e.to ?? "-") dir=\(e.direction?.rawValue ?? "-") rule=\(e.rule ?? "-")"
    }

    static func violations(reference: [MovementEvent], referenceStart: Int64, crashed: [MovementEvent], crashedStart: Int64,
                           downtimes: [Downtime], timing: Timing) -> [String] {
        var out: [String] = []
        out += logIntegrity(crashed)
        out += duplicateArrivals(crashed)
        let longest = downtimes.map { $0.ready - $0.killed }.max() ?? 0
        let ref = Dictionary(grouping: reference, by: \.asset.key)
        let got = Dictionary(grouping: crashed, by: \.asset.key)
        for asset in Set(ref.keys).union(got.keys).sorted() {
            let g = got[asset] ?? []
            let r = withoutUnseenStay(ref[asset] ?? [], crashed: g, referenceStart: referenceStart, downtimes: downtimes,
                                      timing: timing)
            guard r.map(key) == g.map(key) else {
                func timed(_ events: [MovementEvent], from start: Int64) -> [String] {
                    events.map { "\(key($0)) at=\($0.time.milliseconds - start)ms reason=\($0.reason ?? "-")" }
                }
                out.append("\(asset): events differ\n  reference: \(timed(r, from: referenceStart))\n"
                           + "  crashed:   \(timed(g, from: crashedStart))\n  downtimes (ms from start): "
                           + "\(downtimes.map { "\($0.killed)-\($0.ready)" })")
                continue
            }
            for (a, b) in zip(r, g) {
                let tr = a.time.milliseconds - referenceStart, tk = b.time.milliseconds - crashedStart
                let label = "\(asset) \(key(b)) seq \(b.seq ?? -1) at \(tk) ms (reference \(tr) ms)"
                let earliest = b.type == .departed ? tr - timing.stateInterval - timing.poll - timing.tolerance : tr - timing.tolerance
                if tk < earliest || tk > tr + longest + timing.tolerance {
                    out.append("\(label): time outside [\(earliest), \(tr + longest + timing.tolerance)]")
                }
                guard b.type == .departed else { continue }
                let inDowntime = downtimes.first { $0.killed <= tk && tk <= $0.ready }
                if b.reason == restartReason {
                    let restarted = downtimes.contains { tk - timing.departAfter - timing.tolerance <= $0.killed && $0.killed <= tk + timing.tolerance }
                    if !restarted { out.append("\(label): reason '\(restartReason)' without a restart before it") }
                } else if b.reason != a.reason {
                    out.append("\(label): reason '\(b.reason ?? "nil")', reference '\(a.reason ?? "nil")'")
                }
                if let d = inDowntime {
                    if b.reason != restartReason { out.append("\(label): fell in a downtime without reason '\(restartReason)'") }
                    // Its real time: when it fell due in the reference, or, if it was still read up
                    // to the kill there, `departAfter` after the kill (its last read before it).
                    let due = min(tr, d.killed + timing.departAfter)
                    let low = due - timing.stateInterval - timing.poll - timing.tolerance
                    let high = due + timing.tolerance
                    if tk < low || tk > high { out.append("\(label): in the downtime from \(d.killed) ms, not its real time [\(low), \(high)]") }
                }
            }
        }
        return out
    }

    /// Ids unique, seq strictly increasing.
    static func logIntegrity(_ events: [MovementEvent]) -> [String] {
        var out: [String] = []
        var ids: Set<String> = []
        for e in events {
            if !ids.insert(e.id).inserted { out.append("event id \(e.id) logged twice") }
        }
        for (a, b) in zip(events, events.dropFirst()) where (b.seq ?? 0) <= (a.seq ?? 0) {
            out.append("seq not increasing: \(a.seq ?? -1) then \(b.seq ?? -1)")
        }
        return out
    }

    /// An `arrived` for an asset already present (no `departed` since its last `arrived`).
    static func duplicateArrivals(_ events: [MovementEvent]) -> [String] {
        var present: [String: Int64] = [:]
        var out: [String] = []
        for e in events {
            switch e.type {
            case .arrived:
                if let seq = present[e.asset.key] {
                    out.append("\(e.asset.key): arrived again at seq \(e.seq ?? -1) (\(e.to ?? "-")) without leaving since seq \(seq)")
                }
                present[e.asset.key] = e.seq ?? 0
            case .departed:
                present[e.asset.key] = nil
            default:
                break
            }
        }
        return out
    }
}
