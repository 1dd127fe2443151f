import Foundation
import TagwayModel
import TagwayZones
import Testing

/// Ids longer than the compact tables hold inline (16 bytes) take a different path (kept whole on
/// the side, compared whole): the same stream with every tag renamed to a long id sharing its
/// first 16 bytes with all the others must make the same events, under eviction and slot reuse.
@Suite struct LongTagIDTests {
    static let layout = """
        zones:
          - { id: aisle, readPoints: [a1, a2] }
          - { id: store, readPoints: [s1] }
          - { id: door, door: { inside: [d-in], outside: [d-out] } }
        movement: { departAfter: 3s, maxAssets: 12 }
        """
    static let points = ["a1", "a2", "s1", "d-in", "d-out", "loose"]

    /// Tag `n` as a long id: 17 to 40 bytes, all but the last the same for every tag.
    static func longHex(_ n: Int) -> String {
        let length = [17, 20, 32, 40][n % 4]
        return String(repeating: "E2", count: length - 1) + String(format: "%02X", n)
    }

    @Test(arguments: 0..<16)
    func longIdsMoveLikeShortOnes(seed: UInt64) throws {
        var short = try EngineHarness(yaml: Self.layout, maxPresent: 40)
        var long = try EngineHarness(yaml: Self.layout, maxPresent: 40)
        var rng = SplitMix64(seed: seed &+ 0x51)
        var t: Int64 = 0
        for _ in 0..<3000 {
            t += rng.next() % 50 == 0 ? 4000 : Int64(rng.next() % 40)
            let n = Int(rng.next() % 30)
            let point = Self.points[Int(rng.next() % UInt64(Self.points.count))]
            let rssi: Int? = rng.next() % 5 == 0 ? nil : -70 + Int(rng.next() % 31)
            short.read(t, point, String(format: "%02X", n), rssi: rssi)
            long.read(t, point, Self.longHex(n), rssi: rssi)
            if rng.next() % 100 == 0 {
                short.advance(t)
                long.advance(t)
            }
        }
        short.advance(t + 10_000)
        long.advance(t + 10_000)
        let renamed = short.events.map { event -> ZoneEvent in
            var event = event
            event.tag = TagID(hex: Self.longHex(Int(event.tag.bytes.first ?? 0))) ?? event.tag
            return event
        }
        #expect(!short.events.isEmpty)
        #expect(renamed == long.events)
        #expect(short.engine.counters == long.engine.counters)
    }
}
