import Foundation
import TagwayDebounce
import TagwayModel
import TagwayZones
import Testing

/// `MovementEngine.prefetch` is a hint: an engine given every hint a driver gives (each read
/// at every distance, as the pipeline and the benchmark do), and hints for reads that never
/// come, makes exactly the events and holds exactly the assets of an engine given none. The
/// stream is large enough that the engine asks for hints (`prefetchPays`: more than a million
/// bytes of presences), with long ids (kept apart, never hinted) and unknown read points.
@Suite struct EnginePrefetchTests {
    static let layout = """
        zones:
          - { id: aisle, readPoints: [a1, a2] }
          - { id: store, readPoints: [s1] }
          - { id: door, door: { inside: [d-in], outside: [d-out] } }
        rules:
          - { id: r1, match: { keyPrefix: "tag:0" }, forbiddenZones: [store] }
        movement: { departAfter: 20s, maxAssets: 12000 }
        """
    static let points = ["a1", "a2", "s1", "d-in", "d-out"]

    /// Reads of `tags` tags (one in 50 a 20-byte id) at random read points, 10 a millisecond,
    /// with the clock jumping 15 s now and then, so presences not read across two jumps depart.
    static func stream(seed: UInt64, count: Int, tags: Int, points: [Int32]) -> [Read] {
        var rng = SplitMix64(seed: seed)
        var t: Int64 = 0
        return (0..<count).map { i in
            if i % 10 == 0 { t += 1 }
            if rng.next() % 30_000 == 0 { t += 15_000 }
            let n = Int(rng.next() % UInt64(tags))
            let bytes = n % 50 == 0 ? 20 : 12
            let id = TagID(bytes: (0..<bytes).map { UInt8(truncatingIfNeeded: (n >> (8 * ($0 % 4))) &+ $0) })
            return Read(readPoint: points[Int(rng.next() % UInt64(points.count))], tag: id, time: Timestamp(milliseconds: t),
                        rssi: -40 - Int(rng.next() % 30))
        }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func hintsChangeNothing(seed: UInt64) throws {
        var plain = try EngineHarness(yaml: Self.layout, maxPresent: 40_000)
        var hinted = try EngineHarness(yaml: Self.layout, maxPresent: 40_000)
        let points = Self.points.map { plain.engine.readPoint(named: $0) }
        #expect(Self.points.map { hinted.engine.readPoint(named: $0) } == points)
        let reads = Self.stream(seed: seed, count: 60_000, tags: 8_000, points: points)
        // Hints for reads that never come: a tag no read has, a read point no one named.
        let strangers = Self.stream(seed: seed &+ 99, count: 64, tags: 9_000, points: [points[0], 4_000])
        var hintsAsked = 0
        var maxPresent = 0
        for (i, read) in reads.enumerated() {
            maxPresent = max(maxPresent, hinted.engine.debouncer.presentCount)
            if hinted.engine.prefetchPays {
                hintsAsked += 1
                for ahead in 1...MovementEngine.prefetchDistance where i + ahead < reads.count {
                    hinted.engine.prefetch(reads[i + ahead], readsAhead: ahead)
                }
                for ahead in [0, 1, 2, 3, 4, 5, -1, .max] {
                    hinted.engine.prefetch(strangers[(i &+ ahead) & 63], readsAhead: ahead)
                }
            }
            plain.engine.ingest(read, into: &plain.events, identify: plain.identify)
            hinted.engine.ingest(read, into: &hinted.events, identify: hinted.identify)
            if i % 997 == 0 {
                #expect(plain.take() == hinted.take())
            }
        }
        #expect(hintsAsked > reads.count / 4, "the stream never grew large enough for hints: \(hintsAsked), \(maxPresent) present at most")
        #expect(plain.take() == hinted.take())
        #expect(plain.engine.counters == hinted.engine.counters && plain.engine.trackedAssets == hinted.engine.trackedAssets)
        #expect(plain.engine.debouncer.counters == hinted.engine.debouncer.counters)
        for read in reads.suffix(2_000) {
            #expect(plain.engine.snapshot(of: read.tag) == hinted.engine.snapshot(of: read.tag))
        }
    }
}
