import TagwayConfig
import TagwayModel
import TagwayZones
import Testing

extension EngineHarness {
    /// Every tracked asset of the engine, newest read first.
    var tableSnapshot: [EngineAsset] {
        engine.assetsRead(after: Timestamp(milliseconds: .min)).compactMap { engine.snapshot(of: $0) }
    }

    /// A fresh engine on `yaml` that restores what `previous` tracks, at `now`.
    static func restarted(_ yaml: String, from previous: EngineHarness, now: Int64, configured: Set<String>? = nil,
                          window: Duration = .seconds(2)) throws -> EngineHarness {
        var h = try EngineHarness(yaml: yaml, window: window)
        h.keys = previous.keys
        let assets = previous.tableSnapshot
        let identify = h.identify
        h.engine.restore(assets, configuredReadPoints: configured ?? Set(assets.map(\.readPoint)),
                         now: Timestamp(milliseconds: now), identify: identify, into: &h.events)
        return h
    }
}

/// The restart rules of issue 11: what a gateway that restores its asset table does with the
/// reads (and the silence) after the restart.
@Suite struct RestoreTests {
    static let site = """
        zones:
          - { id: bay-1, readPoints: [p1] }
          - { id: bay-2, readPoints: [p2] }
          - { id: lab, readPoints: [lab] }
          - { id: vault, readPoints: [vault] }
          - { id: desk, readPoints: [desk-scan], mode: scan }
          - { id: dock-3, door: { inside: [door3-in], outside: [door3-out] } }
        rules:
          - { id: no-lab, match: { keyPrefix: "tag:0" }, forbiddenZones: [lab, bay-2] }
          - { id: no-vault, match: { keyPrefix: "tag:0" }, forbiddenZones: [vault] }
        movement: { departAfter: 5s }
        """

    @Test func aReadWithinDepartAfterMakesNoEvent() throws {
        var a = try EngineHarness(yaml: Self.site)
        for i in 0..<10 { a.read(Int64(i * 100), "p1", "A1", rssi: -50) }
        #expect(a.take() == ["0 arrived A1 to=bay-1 at=p1"])
        var b = try EngineHarness.restarted(Self.site, from: a, now: 4000)
        #expect(b.take().isEmpty)
        b.read(5500, "p1", "A1", rssi: -50)
        b.read(5600, "p2", "A1", rssi: -80)
        #expect(b.take().isEmpty)
        b.advance(20_000)
        let departed = b.events
        #expect(b.take() == ["10600 departed A1 from=bay-1"])
        // Read after the restart: an ordinary departure, with no reason.
        #expect(departed.map { b.engine.reasonText($0) } == [nil])
    }

    @Test func silenceDepartsAtTheRealTimeWithTheReason() throws {
        var a = try EngineHarness(yaml: Self.site)
        for i in 0..<10 { a.read(Int64(i * 100), "p1", "A2", rssi: -50) }
        for i in 0..<10 { a.read(Int64(2000 + i * 100), "p2", "B2", rssi: -50) }
        _ = a.take()
        // A2 was due while the gateway was down; B2 only after the restart.
        var b = try EngineHarness.restarted(Self.site, from: a, now: 5950)
        b.read(6000, "p2", "B2")  // re-read: stays
        b.advance(9000)
        #expect(b.take() == ["5900 departed A2 from=bay-1"])
        var c = try EngineHarness.restarted(Self.site, from: a, now: 1000)
        #expect(c.take().isEmpty)
        c.advance(9000)
        let reasons = c.events.map { c.engine.reasonText($0) }
        #expect(c.take() == ["5900 departed A2 from=bay-1", "7900 departed B2 from=bay-2"])
        #expect(reasons == ["not seen since restart", "not seen since restart"])
    }

    @Test func theFirstReadInADoorZoneReanchorsWithoutAnEventAndACrossingStillCounts() throws {
        var a = try EngineHarness(yaml: Self.site)
        for i in 0..<10 { a.read(Int64(i * 100), "door3-in", "D1", rssi: -45) }
        #expect(a.take() == ["0 arrived D1 to=dock-3 at=door3-in"])
        #expect(a.tableSnapshot.first?.reportedSide == .inside)
        var b = try EngineHarness.restarted(Self.site, from: a, now: 2000)
        for i in 0..<10 { b.read(Int64(3000 + i * 100), "door3-in", "D1", rssi: -45) }
        #expect(b.take().isEmpty)
        DoorTests.walk(&b, tag: "D1", from: 4000, through: ["door3-in", "door3-out"])
        #expect(b.take().map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
                == ["passed D1 door=dock-3 direction=out at=door3-out"])
    }

    @Test func anOpenEpisodeIsNotAlertedAgainButAnotherRuleIs() throws {
        var a = try EngineHarness(yaml: Self.site)
        for i in 0..<10 { a.read(Int64(i * 100), "lab", "01", rssi: -50) }
        #expect(a.take() == ["0 arrived 01 to=lab at=lab", "0 alert 01 rule=no-lab reason=in forbidden zone lab"])
        #expect(a.tableSnapshot.first?.episodes == ["no-lab"])
        var b = try EngineHarness.restarted(Self.site, from: a, now: 2000)
        for i in 0..<10 { b.read(Int64(2500 + i * 100), "lab", "01", rssi: -50) }
        #expect(b.take().isEmpty)
        // Another zone the same rule forbids: the episode goes on.
        for i in 0..<10 { b.read(Int64(6000 + i * 100), "p2", "01", rssi: -40) }
        #expect(b.take() == ["6100 moved 01 from=lab to=bay-2 at=p2"])
        // A zone another rule forbids: that rule's episode starts.
        for i in 0..<10 { b.read(Int64(9000 + i * 100), "vault", "01", rssi: -40) }
        #expect(b.take() == ["9100 moved 01 from=bay-2 to=vault at=vault",
                             "9100 alert 01 rule=no-vault reason=in forbidden zone vault"])
    }

    @Test func aStationedAssetStays() throws {
        var a = try EngineHarness(yaml: Self.site)
        a.scan(1000, "desk-scan", "LAPTOP-7")
        _ = a.take()
        #expect(a.tableSnapshot.map(\.stationed) == [true])
        var b = try EngineHarness.restarted(Self.site, from: a, now: 3_600_000)
        b.advance(7_200_000)
        #expect(b.take().isEmpty)
        #expect(b.tableSnapshot.map(\.stationed) == [true])
        #expect(b.tableSnapshot.map(\.since) == [Timestamp(milliseconds: 1000)])
    }

    @Test func anAssetAtARemovedReadPointDepartsWithTheReason() throws {
        var a = try EngineHarness(yaml: Self.site)
        for i in 0..<5 { a.read(Int64(i * 100), "p1", "C1", rssi: -50) }
        for i in 0..<5 { a.read(Int64(i * 100), "p2", "C2", rssi: -50) }
        _ = a.take()
        let smaller = """
            zones:
              - { id: bay-1, readPoints: [p1] }
            movement: { departAfter: 5s }
            """
        var b = try EngineHarness.restarted(smaller, from: a, now: 2000, configured: ["p1"])
        let reasons = b.events.map { b.engine.reasonText($0) }
        #expect(b.take() == ["2000 departed C2 from=bay-2"])
        #expect(reasons == ["read point p2 removed from the configuration"])
        #expect(b.engine.zone(of: TagID(hex: "C1")!) == "bay-1")
        #expect(b.tableSnapshot.map(\.readPoint) == ["p1"])
    }

    @Test func aRelabelledZoneMakesNoEvent() throws {
        var a = try EngineHarness(yaml: Self.site)
        for i in 0..<5 { a.read(Int64(i * 100), "p1", "0A", rssi: -50) }
        _ = a.take()
        let renamed = """
            zones:
              - { id: bay-one, readPoints: [p1] }
            movement: { departAfter: 5s }
            """
        var b = try EngineHarness.restarted(renamed, from: a, now: 1000)
        b.read(1500, "p1", "0A", rssi: -50)
        #expect(b.take().isEmpty)
        #expect(b.engine.zone(of: TagID(hex: "0A")!) == "bay-one")
        b.advance(10_000)
        #expect(b.take() == ["6500 departed 0A from=bay-one"])
    }

    @Test func moreRowsThanMaxAssetsKeepTheMostRecentlyRead() throws {
        var a = try EngineHarness(yaml: Self.site)
        for (i, tag) in ["E1", "E2", "E3"].enumerated() { a.read(Int64(i * 100), "p1", tag, rssi: -50) }
        _ = a.take()
        let small = """
            zones:
              - { id: bay-1, readPoints: [p1] }
            movement: { departAfter: 5s, maxAssets: 2 }
            """
        var b = try EngineHarness.restarted(small, from: a, now: 1000)
        #expect(b.take() == ["1000 departed E1 from=bay-1 evicted"])
        #expect(b.tableSnapshot.map(\.tag.hex) == ["E3", "E2"])
        #expect(b.engine.counters.evictions == 1)
    }

    @Test func snapshotNamesWhatTheEngineHolds() throws {
        var a = try EngineHarness(yaml: Self.site)
        for i in 0..<5 { a.read(Int64(i * 100), "p1", "01", rssi: -60 + i) }
        for i in 0..<5 { a.read(Int64(1000 + i * 100), "lab", "01", rssi: -40) }
        _ = a.take()
        let asset = try #require(a.engine.snapshot(of: TagID(hex: "01")!))
        #expect(asset == EngineAsset(tag: TagID(hex: "01")!, isScan: false, zone: "lab", readPoint: "lab",
                                     since: Timestamp(milliseconds: 1100), lastRead: Timestamp(milliseconds: 1400),
                                     lastSeenInZone: Timestamp(milliseconds: 1400), reads: 4, peakRSSI: -40,
                                     episodes: ["no-lab"], technology: .epcGen2))
        #expect(a.engine.assetsRead(after: Timestamp(milliseconds: 1400)).isEmpty)
        a.read(2000, "p1", "02", rssi: -50)
        #expect(a.engine.assetsRead(after: Timestamp(milliseconds: 1300)).map(\.hex) == ["02", "01"])
        #expect(a.engine.snapshot(of: TagID(hex: "FF")!) == nil)
    }
}
