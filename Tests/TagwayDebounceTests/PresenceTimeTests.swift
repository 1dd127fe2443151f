import Testing
import TagwayModel
@testable import TagwayDebounce

/// The presence table's 32-bit times (rebased when a stream outruns them), its 16-bit window
/// counts (the ring is clamped so they cannot overflow).
@Suite struct PresenceTimeTests {
    private static func tag(_ n: Int) -> TagID { TagID(bytes: [0xE2, 0x00, UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]) }
    private static let limit = Int64(UInt32.max)

    /// Times either side of the 32-bit range after the epoch read back exactly, for the slot
    /// that forced the rebase and for one read a moment earlier.
    @Test(arguments: [0, 1_700_000_000_000, -5_000, Int64.max / 2] as [Int64])
    func timesNearTheLimitReadBackExactly(start: Int64) {
        var table = PresenceTable(capacity: 4)
        let a = Self.tag(1), b = Self.tag(2)
        let slotA = table.insert(PresenceKey(readPoint: 0, tag: a), tag: a, entry: nil, at: start, isScan: false)
        let epoch = table.epoch
        let edge = epoch + Self.limit
        table.touch(slotA, at: edge - 1)
        #expect(table.epoch == epoch, "no rebase inside the range")
        #expect(table.lastSeen(slotA) == edge - 1)
        let slotB = table.insert(PresenceKey(readPoint: 0, tag: b), tag: b, entry: nil, at: edge, isScan: false)
        #expect(table.epoch == epoch)
        #expect(table.lastSeen(slotB) == edge)
        table.touch(slotB, at: edge + 1)
        #expect(table.epoch > epoch, "a time past the range rebases")
        #expect(table.lastSeen(slotB) == edge + 1)
        #expect(table.lastSeen(slotA) == edge - 1, "a time within 24.8 days of the new time stays exact")
        #expect(table.stats(slotB).firstSeen?.milliseconds == edge)
        // A's first read stays exact if it is after the new epoch, else saturates at it (when the
        // first insert made the epoch, it is 24.8 days back and exact; from epoch 0, 49 days).
        #expect(table.stats(slotA).firstSeen?.milliseconds == Swift.max(start, table.epoch))
        #expect(table.epoch == edge + 1 - PresenceTable.rebaseHeadroom)
    }

    /// A jump far past the range (a reader's clock set years ahead) leaves nothing wrapped.
    @Test func aJumpOfYearsRebasesOnce() {
        var table = PresenceTable(capacity: 2)
        let a = Self.tag(1), b = Self.tag(2)
        let slotA = table.insert(PresenceKey(readPoint: 0, tag: a), tag: a, entry: nil, at: 1_000, isScan: false)
        let later: Int64 = 1_000 + 400 * 86_400_000
        let slotB = table.insert(PresenceKey(readPoint: 0, tag: b), tag: b, entry: nil, at: later, isScan: false)
        #expect(table.lastSeen(slotB) == later)
        #expect(table.lastSeen(slotA) == table.epoch, "older than the epoch saturates at it")
        #expect(table.lastSeen(slotA) <= table.lastSeen(slotB))
    }

    /// The debouncer across the limit: departures keep their exact times and a tag heard all
    /// along stays one presence.
    @Test func aStreamRunningPast49DaysDepartsOnTime() {
        var d = Debouncer(configuration: .init(maxPresent: 8, departAfter: .seconds(5)))
        var out: [Sighting] = []
        let start: Int64 = 1_700_000_000_000
        var t = start
        let step: Int64 = 3_600_000 // an hour; tag 1 is read every 4 s around each hour mark
        while t < start + 2 * Self.limit + 10 * step {
            for k in 0..<3 as Range<Int64> {
                d.ingest(Read(readPoint: 0, tag: Self.tag(1), time: Timestamp(milliseconds: t + k * 4_000)), into: &out)
            }
            t += step
        }
        d.advance(to: Timestamp(milliseconds: t), into: &out)
        let arrivals = out.filter { $0.kind == .arrived }, departures = out.filter { $0.kind == .departed }
        #expect(arrivals.count == departures.count)
        #expect(arrivals.count > 2_000)
        for (arrived, departed) in zip(arrivals, departures) {
            #expect(departed.time.milliseconds == arrived.time.milliseconds + 8_000 + 5_000)
            #expect(departed.firstSeen == arrived.time)
            #expect(departed.lastSeen.milliseconds == arrived.time.milliseconds + 8_000)
            #expect(departed.reads == 3)
        }
    }

    /// A tag heard without a break for longer than the range: its last read stays exact, its
    /// first read saturates at no later than 24.8 days before the latest read.
    @Test func aPresenceLongerThanTheRangeKeepsItsLastReadExact() {
        var d = Debouncer(configuration: .init(maxPresent: 8, departAfter: .seconds(600)))
        var out: [Sighting] = []
        let start: Int64 = 0
        var t = start
        while t <= start + Self.limit + 3 * 86_400_000 {
            d.ingest(Read(readPoint: 0, tag: Self.tag(7), time: Timestamp(milliseconds: t)), into: &out)
            t += 300_000
        }
        let last = t - 300_000
        d.advance(to: Timestamp(milliseconds: last + 600_000), into: &out)
        #expect(out.map(\.kind) == [.arrived, .departed])
        let departed = out[1]
        #expect(departed.lastSeen.milliseconds == last)
        #expect(departed.time.milliseconds == last + 600_000)
        #expect((departed.firstSeen?.milliseconds ?? .min) > start)
        #expect((departed.firstSeen?.milliseconds ?? .max) <= last - PresenceTable.rebaseHeadroom)
        #expect(departed.reads == Int((last - start) / 300_000) + 1)
    }

    /// A ring asked for more than 65,535 reads keeps 65,535, so a storm of one tag never
    /// overflows its 16-bit window count.
    @Test func theWindowOfAStormCountsAtMostTheClampedRing() {
        var d = Debouncer(configuration: .init(maxPresent: 4, ringCapacity: 100_000, window: .seconds(60)))
        var out: [Sighting] = []
        var slot = PresenceSlot(index: -1, generation: 0)
        for i in 0..<70_000 {
            slot = d.ingest(Read(readPoint: 0, tag: Self.tag(3), time: Timestamp(milliseconds: Int64(i / 100)), rssi: -30),
                            into: &out)
        }
        let stats = d.stats(slot)
        #expect(stats?.windowReads == Debouncer.maxRingCapacity)
        #expect(stats?.totalReads == 70_000)
        #expect(stats?.windowMeanRSSI == -30)
        #expect(d.evidence(slot)?.windowRSSISum == Int32(-30 * Debouncer.maxRingCapacity))
    }
}
