import TagwayModel
import TagwayZones
import Testing

/// A restart loses the debouncer's statistics and nothing else: an engine restored from a
/// snapshot of another, fed the same reads once a debouncer window has passed, reports the same
/// events as the one that kept running. The only difference is the reason on the departures of
/// assets not read since the restart ("not seen since restart").
@Suite struct RestorePropertyTests {
    static let layout = MovementPropertyTests.layout
    static let points = MovementPropertyTests.points

    enum Step {
        case read(Int64, String, String, Int?)
        case scan(Int64, String)
        case advance(Int64)
    }

    static func steps(seed: UInt64, count: Int) -> [Step] {
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15)
        var out: [Step] = []
        var t: Int64 = 0
        for _ in 0..<count {
            t += rng.next() % 50 == 0 ? 4000 : Int64(rng.next() % 40)
            let late = rng.next() % 30 == 0 ? Int64(rng.next() % 500) : 0
            let tag = String(format: "%02X", Int(rng.next() % 24))
            if rng.next() % 25 == 0 {
                out.append(.scan(t - late, "CODE-\(rng.next() % 5)"))
            } else {
                let point = points[Int(rng.next() % UInt64(points.count))]
                let rssi: Int? = rng.next() % 5 == 0 ? nil : -70 + Int(rng.next() % 31)
                out.append(.read(t - late, point, tag, rssi))
            }
            if rng.next() % 100 == 0 { out.append(.advance(t)) }
        }
        return out
    }

    static func run(_ step: Step, shift: Int64, on h: inout EngineHarness) {
        switch step {
        case .read(let t, let point, let tag, let rssi): h.read(t + shift, point, tag, rssi: rssi)
        case .scan(let t, let code): h.scan(t + shift, "scan1", code)
        case .advance(let t): h.advance(t + shift)
        }
    }

    static func time(_ step: Step) -> Int64 {
        switch step {
        case .read(let t, _, _, _), .scan(let t, _), .advance(let t): t
        }
    }

    @Test(arguments: 0..<30)
    func restoredEngineReportsWhatTheRunningOneDoes(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed &+ 101)
        let steps = Self.steps(seed: seed, count: 3000)
        let cut = 300 + Int(rng.next() % 2400)
        var a = try EngineHarness(yaml: Self.layout)
        for step in steps[..<cut] { Self.run(step, shift: 0, on: &a) }
        a.events.removeAll()
        let stoppedAt = steps[..<cut].map(Self.time).max() ?? 0
        var b = try EngineHarness.restarted(Self.layout, from: a, now: stoppedAt)
        #expect(b.engine.trackedAssets == a.engine.trackedAssets)
        var lastReadAtStop: [TagID: Int64] = [:]
        for asset in a.tableSnapshot { lastReadAtStop[asset.tag] = asset.lastRead.milliseconds }
        // Down for longer than a debouncer window (2 s, plus the 0.5 s a late read may lag).
        let gap = 2_501 + Int64(rng.next() % 8000)
        for step in steps[cut...] {
            Self.run(step, shift: gap, on: &a)
            Self.run(step, shift: gap, on: &b)
        }
        a.advance((steps.last.map(Self.time) ?? 0) + gap + 60_000)
        b.advance((steps.last.map(Self.time) ?? 0) + gap + 60_000)
        let (ea, eb) = (a.events, b.events)
        #expect(a.take() == b.take(), "cut at step \(cut), gap \(gap) ms")
        guard ea.count == eb.count else { return }
        // Not read since the restart: departs `departAfter` (3 s) after its last read before the
        // stop, with the reason; read since: an ordinary departure, later than that.
        var departedBefore = Set<TagID>()
        for (x, y) in zip(ea, eb) where y.type == .departed {
            let first = departedBefore.insert(y.tag).inserted
            let dueFromStop = first ? lastReadAtStop[y.tag].map { $0 + 3000 } : nil
            switch y.cause {
            case .notSeenSinceRestart:
                #expect(x.cause == .silent && y.time.milliseconds == dueFromStop, "\(b.line(y))")
            case .silent:
                #expect(x.cause == .silent && y.time.milliseconds != dueFromStop, "\(b.line(y))")
            default:
                #expect(x.cause == y.cause, "\(a.line(x)) vs \(b.line(y))")
            }
        }
    }
}
