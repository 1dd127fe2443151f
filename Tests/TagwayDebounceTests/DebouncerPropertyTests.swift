import Testing
import TagwayModel
@testable import TagwayDebounce

@Suite struct DebouncerPropertyTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomStreamsKeepTheInvariants(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let maxPresent = Int.random(in: 4...64, using: &rng)
        let maxTags = Int.random(in: 1...maxPresent, using: &rng)
        let config = DebouncerConfiguration(
            maxPresent: maxPresent, maxTags: maxTags, ringCapacity: Int.random(in: 8...256, using: &rng),
            window: .milliseconds(Int.random(in: 100...3000, using: &rng)),
            departAfter: .milliseconds(Int.random(in: 200...5000, using: &rng)),
            arriveAfterReads: Int.random(in: 1...3, using: &rng))
        var d = Debouncer(configuration: config)
        var out: [Sighting] = []
        var now: Int64 = 0
        let tags = Int.random(in: 1...200, using: &rng)
        for _ in 0..<20_000 {
            now += Int64.random(in: 0...40, using: &rng)
            let read = Read(readPoint: Int32.random(in: 0..<4, using: &rng),
                            tag: TagID(bytes: withUnsafeBytes(of: UInt32(Int.random(in: 0..<tags, using: &rng))) { Array($0) }),
                            time: Timestamp(milliseconds: now), rssi: Int.random(in: -70...(-40), using: &rng))
            d.ingest(read, into: &out)
            #expect(d.presentCount <= maxPresent && d.table.tagCount <= maxTags)
        }
        d.advance(to: Timestamp(milliseconds: now + 10_000), into: &out)
        #expect(d.presentCount == 0)

        // Per (read point, tag): arrivals and departures alternate, starting with an arrival,
        // and every arrival was eventually followed by its departure.
        var present: Set<String> = []
        var lastTime: [String: Timestamp] = [:]
        for s in out {
            let key = "\(s.readPoint)/\(s.tag.hex)"
            switch s.kind {
            case .arrived: #expect(present.insert(key).inserted, "arrived twice without departing: \(key)")
            case .departed: #expect(present.remove(key) != nil, "departed without arriving: \(key)")
            case .observed: Issue.record("no scans were fed")
            }
            if let last = lastTime[key] { #expect(last <= s.time, "events of \(key) out of time order") }
            lastTime[key] = s.time
        }
        #expect(present.isEmpty)
        #expect(d.counters.arrivals == d.counters.departures)
    }
}
