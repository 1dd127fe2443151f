import Testing
import TagwayModel
@testable import TagwayDebounce

/// The window ring keeps its reads' times in 32 bits after a base it moves up when a time no
/// longer fits: every time reads back exactly, across as many moves as a stream needs.
@Suite struct ReadRingTests {
    @Test func anEntryIs16Bytes() {
        #expect(ReadRing.entryStride == 16)
    }

    /// As the debouncer uses it: reads older than the window popped before each push. Steps of
    /// up to 2^31 ms make the base move many times; every pop returns what was pushed.
    @Test(arguments: [0, -1_000_000_000_000, 1_700_000_000_000, Int64.max / 2] as [Int64])
    func timesReadBackExactlyAcrossMovesOfTheBase(start: Int64) {
        var ring = ReadRing(capacity: 8)
        var pushed: [(Int64, Int32)] = []
        var time = start
        let window: Int64 = 1 << 31
        var state: UInt64 = 7
        for n in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            time += Int64(state >> 34)   // 0 ..< 2^30 ms
            while let oldest = ring.oldestTime, oldest <= time - window {
                let entry = ring.popOldest()
                #expect(entry.time == pushed[0].0 && entry.slot == pushed[0].1)
                pushed.removeFirst()
            }
            if ring.isFull {
                let entry = ring.popOldest()
                #expect(entry.time == pushed[0].0 && entry.slot == pushed[0].1)
                pushed.removeFirst()
            }
            ring.push(slot: Int32(n), generation: UInt32(n), time: time, rssi: n % 3 == 0 ? nil : -50)
            pushed.append((time, Int32(n)))
            #expect(ring.oldestTime == pushed[0].0)
        }
        #expect(time - start > 4 * Int64(UInt32.max), "the stream outran 32 bits several times")
        var seen: [Int64] = []
        ring.visitOldest { seen.append($0.time); return true }
        #expect(seen == pushed.map(\.0))
    }

    /// A ring spanning more than 32 bits of milliseconds (the debouncer never makes one): the
    /// newest times stay exact, older ones are taken as at the earliest time that fits.
    @Test func aSpanBeyond32BitsKeepsTheNewestExact() {
        var ring = ReadRing(capacity: 4)
        ring.push(slot: 0, generation: 0, time: 0, rssi: nil)
        ring.push(slot: 1, generation: 0, time: 10_000_000_000, rssi: nil)
        #expect(ring.popOldest().time == 10_000_000_000 - Int64(UInt32.max))
        #expect(ring.popOldest().time == 10_000_000_000)
    }

    /// A window longer than the ring's times allow is taken as 24 days: a read 25 days old has
    /// left the window, one a day old has not, in a stream that outruns 32 bits of milliseconds.
    @Test func aWindowBeyond24DaysIsTakenAs24Days() {
        let day: Int64 = 86_400_000
        var d = Debouncer(configuration: DebouncerConfiguration(maxPresent: 4, window: .seconds(30 * 86_400),
                                                                departAfter: .seconds(60 * 86_400)))
        #expect(d.windowMilliseconds == 24 * day)
        var out: [Sighting] = []
        let tag = TagID(bytes: [0xE2, 1])
        d.ingest(Read(readPoint: 0, tag: tag, time: Timestamp(milliseconds: 0), rssi: -50), into: &out)
        d.ingest(Read(readPoint: 0, tag: tag, time: Timestamp(milliseconds: 24 * day), rssi: -50), into: &out)
        let slot = d.ingest(Read(readPoint: 0, tag: tag, time: Timestamp(milliseconds: 25 * day), rssi: -50), into: &out)
        #expect(d.evidence(slot)?.windowReads == 2)
        let later = d.ingest(Read(readPoint: 0, tag: tag, time: Timestamp(milliseconds: 60 * day), rssi: -50), into: &out)
        #expect(d.evidence(later)?.windowReads == 1)
    }
}
