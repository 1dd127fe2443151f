import Foundation
import TagwayDebounce
import TagwayModel
import TagwayZones
import Testing

/// The engine's asset entries and the debouncer's tables are shared between copies of an engine
/// until one of them is written (`FixedBuffer`). A copy taken mid-stream and driven on its own
/// must make exactly the events of an engine that saw its stream alone, whichever entry point
/// writes first (a read, a scan, `advance`, a reload), and must leave the original untouched.
@Suite struct EngineCopyTests {
    private enum Step {
        case read(Int64, String, String)
        case scan(Int64, String, String)
        case advance(Int64)
    }

    private static func steps(seed: UInt64, count: Int, from start: Int64) -> [Step] {
        var rng = SplitMix64(seed: seed)
        var t = start
        return (0..<count).map { _ in
            t += Int64(rng.next() % 60)
            switch rng.next() % 20 {
            case 0: return .scan(t, "scan1", "CODE-\(rng.next() % 4)")
            case 1: return .advance(t + Int64(rng.next() % 4000))
            default:
                let points = MovementPropertyTests.points
                return .read(t, points[Int(rng.next() % UInt64(points.count))], String(format: "%02X", Int(rng.next() % 20)))
            }
        }
    }

    private static func run(_ h: inout EngineHarness, _ steps: [Step]) -> [String] {
        for step in steps {
            switch step {
            case .read(let t, let point, let tag): h.read(t, point, tag, rssi: -60)
            case .scan(let t, let point, let code): h.scan(t, point, code)
            case .advance(let t): h.advance(t)
            }
        }
        return h.take()
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func copiesDrivenApartMatchEnginesThatNeverShared(seed: UInt64) throws {
        let common = Self.steps(seed: seed, count: 1_500, from: 0)
        let left = Self.steps(seed: seed &+ 1_000, count: 1_500, from: 200_000)
        let right = Self.steps(seed: seed &+ 2_000, count: 1_500, from: 200_000)
        var original = try EngineHarness(yaml: MovementPropertyTests.layout, maxPresent: 64)
        _ = Self.run(&original, common)
        var copy = original
        // A reload on one side first, on seeds where it is the first write after the copy.
        if seed % 2 == 0 {
            copy.engine.reconfigure(copy.engine.configuration)
        }
        let leftEvents = Self.run(&original, left)
        let rightEvents = Self.run(&copy, right)

        var alone = try EngineHarness(yaml: MovementPropertyTests.layout, maxPresent: 64)
        _ = Self.run(&alone, common)
        #expect(Self.run(&alone, left) == leftEvents)
        var other = try EngineHarness(yaml: MovementPropertyTests.layout, maxPresent: 64)
        _ = Self.run(&other, common)
        if seed % 2 == 0 { other.engine.reconfigure(other.engine.configuration) }
        #expect(Self.run(&other, right) == rightEvents)
        #expect(original.engine.trackedAssets == alone.engine.trackedAssets)
        #expect(copy.engine.trackedAssets == other.engine.trackedAssets)
        #expect(original.engine.counters == alone.engine.counters && copy.engine.counters == other.engine.counters)
    }
}
