import Testing
import TagwayModel
@testable import TagwayDebounce

private func tag(_ n: Int) -> TagID { TagID(bytes: [0xE2, 0x00, UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]) }
private func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: 1_700_000_000_000 + ms) }

/// A slot holds its read point in 16 bits; read points outside 0..<65,535 (none at a real site,
/// where they are numbered from 0) are kept whole beside the table and behave like any other:
/// never mistaken for the 16-bit read point they would truncate to, nor for each other.
@Suite struct WideReadPointTests {
    static let points: [Int32] = [0, 1, 65_534, 65_535, 65_536, 131_072, Int32.max, -1, -65_536, Int32.min]

    @Test func everyReadPointIsItsOwnPresenceAndDepartsAsItself() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        for (i, point) in Self.points.enumerated() {
            d.ingest(Read(readPoint: point, tag: tag(1), time: at(Int64(i)), rssi: -50 - i), into: &out)
        }
        #expect(out.map(\.kind) == Array(repeating: .arrived, count: Self.points.count))
        #expect(out.map(\.readPoint) == Self.points)
        #expect(out.map(\.peakRSSI) == Self.points.indices.map { -50 - $0 })
        #expect(d.presentCount == Self.points.count)
        for point in Self.points {
            #expect(d.presence(of: tag(1), at: point, asOf: at(100))?.readPoint == point)
            #expect(d.presences(at: point, asOf: at(100)).map(\.readPoint) == [point])
        }
        // Read again at the wide ones only: they stay, the others depart, each named right.
        out.removeAll()
        for point in Self.points where point >= 65_535 || point < 0 {
            d.ingest(Read(readPoint: point, tag: tag(1), time: at(4_000), rssi: -40), into: &out)
        }
        #expect(out.isEmpty)
        d.advance(to: at(8_000), into: &out)
        #expect(out.map(\.kind) == Array(repeating: .departed, count: 3))
        #expect(Set(out.map(\.readPoint)) == [0, 1, 65_534])
        d.advance(to: at(10_000), into: &out)
        #expect(d.presentCount == 0)
        #expect(Set(out.dropFirst(3).map(\.readPoint)) == Set(Self.points.filter { $0 >= 65_535 || $0 < 0 }))
    }

    /// Slots freed by departures are reused for read points of the other kind: no wide read
    /// point is left behind on a slot that now holds a narrow one, or the reverse.
    @Test func slotsAreReusedAcrossTheTwoKinds() {
        var d = Debouncer(configuration: .init(maxPresent: 4, departAfter: .seconds(5)))
        var out: [Sighting] = []
        var t: Int64 = 0
        for round in 0..<50 {
            let point: Int32 = round.isMultiple(of: 2) ? 70_000 + Int32(round) : Int32(round)
            for n in 0..<6 {
                t += 1
                d.ingest(Read(readPoint: point, tag: tag(n), time: at(t)), into: &out)
            }
            for n in 0..<6 { #expect(d.presence(of: tag(n), at: point, asOf: at(t)) != nil || n < 2, "round \(round) tag \(n)") }
        }
        let evicted = out.filter { $0.kind == .departed }
        #expect(evicted.count == 50 * 6 - 4)
        #expect(out.filter { $0.kind == .arrived }.count == 50 * 6)
        // Every eviction names the read point it arrived at.
        var arrivedAt: [TagID: [Int32]] = [:]
        for s in out where s.kind == .arrived { arrivedAt[s.tag, default: []].append(s.readPoint) }
        var departedAt: [TagID: [Int32]] = [:]
        for s in evicted { departedAt[s.tag, default: []].append(s.readPoint) }
        for (tag, points) in departedAt { #expect(Array(arrivedAt[tag, default: []].prefix(points.count)) == points) }
    }

    /// The technology shares a byte with the slot's flags: each value comes back, and changing it
    /// leaves the flags (confirmed, scan) as they were.
    @Test func theTechnologyOfTheLastReadIsKept() {
        var d = Debouncer(configuration: .init(departAfter: .seconds(5)))
        var out: [Sighting] = []
        var t: Int64 = 0
        for technology in [TagObservation.Technology.em4100, .iso14443a, .epcGen2, .em4100] {
            t += 10
            d.ingest(Read(readPoint: 3, tag: tag(7), time: at(t), technology: technology), into: &out)
            #expect(d.technology(of: tag(7), at: 3) == technology)
            #expect(d.presence(of: tag(7), at: 3, asOf: at(t))?.confirmed == true)
        }
        #expect(out.map(\.kind) == [.arrived])
        d.ingestScan(readPoint: 3, code: tag(7), time: at(t + 1), into: &out)
        #expect(d.technology(of: tag(7), at: 3) == .em4100, "a scan of the same code is its own presence")
    }

    /// What a read decides with, in 36 bytes a presence and 32 a tag (see `TagTable`).
    @Test func aSlotIs36BytesAndATag32() {
        #expect(PresenceTable.slotStride == 36)
        #expect(TagTable.entryStride == 32)
    }
}
