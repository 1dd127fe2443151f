import Testing
import TagwayModel
@testable import TagwayDebounce

/// A debouncer made without totals (the movement engine's) decides exactly as one with them:
/// the same sightings at the same times, the same window figures, the same evictions. Only the
/// totals themselves are missing from what it reports.
@Suite struct DebouncerTotalsTests {
    private static func reads(seed: UInt64, count: Int) -> [Read] {
        var rng = SplitMix64(seed: seed)
        var now: Int64 = 0
        return (0..<count).map { _ in
            now += Int64.random(in: 0...40, using: &rng)
            let rssi: Int? = Int.random(in: 0..<5, using: &rng) == 0 ? nil : Int.random(in: -70...(-40), using: &rng)
            return Read(readPoint: Int32.random(in: 0..<3, using: &rng),
                        tag: TagID(bytes: [0xE2, UInt8.random(in: 0..<30, using: &rng)]),
                        time: Timestamp(milliseconds: now), rssi: rssi, reader: UInt16.random(in: 0..<2, using: &rng),
                        technology: Bool.random(using: &rng) ? .epcGen2 : .em4100)
        }
    }

    /// The fields a sighting has without totals.
    private static func decided(_ s: Sighting) -> String {
        "\(s.kind) \(s.readPoint) \(s.tag.hex) \(s.time.milliseconds) \(s.lastSeen.milliseconds) \(s.evicted) \(s.technology)"
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func withoutTotalsTheDecisionsAreTheSame(seed: UInt64) {
        let config = DebouncerConfiguration(maxPresent: 40, ringCapacity: 64, window: .milliseconds(500),
                                            departAfter: .milliseconds(800), arriveAfterReads: 2)
        var full = Debouncer(configuration: config)
        var lean = Debouncer(configuration: config, keepsTotals: false)
        var fullOut: [Sighting] = [], leanOut: [Sighting] = []
        for read in Self.reads(seed: seed, count: 4_000) {
            let a = full.ingest(read, into: &fullOut)
            let b = lean.ingest(read, into: &leanOut)
            #expect(a == b)
            #expect(full.evidence(a) == lean.evidence(b))
            let fullStats = full.stats(a), leanStats = lean.stats(b)
            #expect(fullStats?.windowReads == leanStats?.windowReads && fullStats?.lastSeen == leanStats?.lastSeen)
            #expect(fullStats?.totalReads != nil && leanStats?.totalReads == nil && leanStats?.firstSeen == nil)
        }
        full.advance(to: Timestamp(milliseconds: Int64.max / 4), into: &fullOut)
        lean.advance(to: Timestamp(milliseconds: Int64.max / 4), into: &leanOut)
        #expect(fullOut.count > 100 && fullOut.contains { $0.evicted })
        #expect(fullOut.map(Self.decided) == leanOut.map(Self.decided))
        #expect(full.counters == lean.counters)
        #expect(leanOut.allSatisfy { $0.firstSeen == nil && $0.reads == nil && $0.peakRSSI == nil && $0.reader == Read.noReader })
        #expect(fullOut.allSatisfy { $0.firstSeen != nil && $0.reads != nil && $0.reader != Read.noReader })
    }

    @Test func aTableWithoutTotalsHoldsNoneOfTheirBytes() {
        let full = PresenceTable(capacity: 1000), lean = PresenceTable(capacity: 1000, keepsTotals: false)
        #expect(full.bytes - lean.bytes == 1000 * MemoryLayout<PresenceTable.Totals>.stride)
        #expect(MemoryLayout<PresenceTable.Totals>.stride == 12)
    }
}
