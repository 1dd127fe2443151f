import TagwayModel
import TagwayZones
import Testing

/// Arrived / moved / departed, and the evidence that decides between overlapping read points.
@Suite struct PlacementTests {
    static let twoAisles = """
        zones:
          - { id: aisle-1, aliases: [a1], readPoints: [a1-east, a1-west] }
          - { id: aisle-2, readPoints: [a2] }
        movement: { departAfter: 5s }
        """

    @Test func withoutZonesEachReadPointIsItsOwnZone() throws {
        var h = try EngineHarness(MovementConfiguration(settings: .init(departAfter: .seconds(3))))
        h.read(1000, "door", "0A", rssi: -50)
        h.read(1500, "door", "0A", rssi: -52)
        h.advance(4400)
        #expect(h.take() == ["1000 arrived 0A to=door at=door"])
        h.advance(4500)
        #expect(h.take() == ["4500 departed 0A from=door"])
    }

    @Test func departureComesAfterSilenceAtEveryReadPoint() throws {
        var h = try EngineHarness(yaml: Self.twoAisles)
        h.read(0, "a1-east", "0B", rssi: -50)
        h.read(4000, "a1-west", "0B", rssi: -55)
        h.advance(8999)
        #expect(h.take() == ["0 arrived 0B to=aisle-1 at=a1-east"])
        h.advance(9000)
        #expect(h.take() == ["9000 departed 0B from=aisle-1"])
        h.read(9500, "a2", "0B", rssi: -60)
        #expect(h.take() == ["9500 arrived 0B to=aisle-2 at=a2"])
    }

    @Test func aStrongerZoneWinsOnlyByTheThreshold() throws {
        var h = try EngineHarness(yaml: Self.twoAisles)
        // Both read the tag every 100 ms; aisle-2 is 4 dB stronger: not enough (threshold 6).
        for i in 0..<20 {
            h.read(Int64(i * 100), "a1-east", "0C", rssi: -60)
            h.read(Int64(i * 100 + 50), "a2", "0C", rssi: -56)
        }
        #expect(h.take() == ["0 arrived 0C to=aisle-1 at=a1-east"])
        // Now aisle-2 reads it 10 dB stronger: its window mean climbs past -60 + 6.
        for i in 20..<40 {
            h.read(Int64(i * 100), "a1-east", "0C", rssi: -60)
            h.read(Int64(i * 100 + 50), "a2", "0C", rssi: -50)
        }
        let moves = h.take()
        #expect(moves.count == 1)
        #expect(moves.first?.hasSuffix("moved 0C from=aisle-1 to=aisle-2 at=a2") == true)
    }

    @Test func theOffsetDecaysOnceTheCurrentZoneFallsSilent() throws {
        var h = try EngineHarness(yaml: Self.twoAisles)
        for i in 0..<10 { h.read(Int64(i * 100), "a1-east", "0D", rssi: -45) }
        // Carried to aisle 2, read weaker there than aisle 1 was: no move while aisle 1's
        // evidence is fresh, a move once its offset has decayed and its window has emptied.
        for i in 0..<30 { h.read(Int64(1000 + i * 100), "a2", "0D", rssi: -62) }
        let lines = h.take()
        #expect(lines.count == 2)
        #expect(lines.last == "2900 moved 0D from=aisle-1 to=aisle-2 at=a2")
    }

    @Test func oneStrayReadDoesNotMoveAnAsset() throws {
        var h = try EngineHarness(yaml: Self.twoAisles)
        h.read(0, "a1-east", "0E", rssi: -60)
        h.read(4000, "a2", "0E", rssi: -40)
        #expect(h.take() == ["0 arrived 0E to=aisle-1 at=a1-east"])
        h.read(4100, "a2", "0E", rssi: -40)
        #expect(h.take() == ["4100 moved 0E from=aisle-1 to=aisle-2 at=a2"])
    }

    @Test func readersWithoutRSSIUseRecencyAndCounts() throws {
        var h = try EngineHarness(yaml: Self.twoAisles)
        // Both read continually (no RSSI): the same rate never moves the tag.
        for i in 0..<20 {
            h.read(Int64(i * 100), "a1-east", "0F")
            h.read(Int64(i * 100 + 50), "a2", "0F")
        }
        #expect(h.take() == ["0 arrived 0F to=aisle-1 at=a1-east"])
        // Aisle 1 stops reading; after the hold-off, aisle 2 takes it.
        for i in 0..<10 { h.read(Int64(2000 + i * 100), "a2", "0F") }
        #expect(h.take() == ["2500 moved 0F from=aisle-1 to=aisle-2 at=a2"])
    }

    @Test func readPointsOfOneZoneHandOverSilently() throws {
        var h = try EngineHarness(yaml: Self.twoAisles)
        for i in 0..<10 { h.read(Int64(i * 100), "a1-east", "10", rssi: -60) }
        for i in 0..<30 { h.read(Int64(1000 + i * 100), "a1-west", "10", rssi: -45) }
        #expect(h.take() == ["0 arrived 10 to=aisle-1 at=a1-east"])
    }

    @Test func theAssetTableIsBoundedAndCountsEvictions() throws {
        var settings = MovementSettings(departAfter: .seconds(60), maxAssets: 2)
        settings.moveAfterReads = 1
        var h = try EngineHarness(MovementConfiguration(settings: settings))
        h.read(0, "p", "01", rssi: -50)
        h.read(10, "p", "02", rssi: -50)
        h.read(20, "p", "01", rssi: -50)
        h.read(30, "p", "03", rssi: -50)
        #expect(h.take() == ["0 arrived 01 to=p at=p", "10 arrived 02 to=p at=p", "30 departed 02 from=p evicted",
                             "30 arrived 03 to=p at=p"])
        #expect(h.engine.counters.evictions == 1)
        #expect(h.engine.trackedAssets == 2)
    }
}
