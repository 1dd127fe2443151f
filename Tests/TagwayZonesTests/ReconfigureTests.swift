import TagwayConfig
import TagwayModel
import TagwayZones
import Testing

/// A reload swaps zones and rules and keeps every tag where it is.
@Suite struct ReconfigureTests {
    @Test func reloadKeepsTagStateAndAppliesNewZones() throws {
        var h = try EngineHarness(yaml: """
            zones:
              - { id: bay-1, readPoints: [p1] }
              - { id: bay-2, readPoints: [p2] }
            movement: { departAfter: 5s }
            """)
        for i in 0..<5 { h.read(Int64(i * 100), "p1", "01", rssi: -50) }
        #expect(h.take() == ["0 arrived 01 to=bay-1 at=p1"])
        let merged = try MovementConfigReader.parse("""
            zones:
              - { id: bays, readPoints: [p1, p2] }
            rules:
              - { id: keep-out, match: { scheme: test }, forbiddenZones: [bays] }
            movement: { departAfter: 5s }
            """, file: "reload.yaml")
        h.engine.reconfigure(merged)
        #expect(h.engine.zone(of: TagID(hex: "01")!) == "bays")
        // The tag was already there: no arrival, and the new rule's episode starts silently.
        for i in 0..<30 { h.read(Int64(1000 + i * 100), "p2", "01", rssi: -40) }
        #expect(h.take().isEmpty)
        h.advance(10_000)
        #expect(h.take() == ["8900 departed 01 from=bays"])
    }

    @Test func aFailingReloadIsReportedWithItsLine() throws {
        do {
            _ = try MovementConfigReader.parse("""
                zones:
                  - { id: a, readPoints: [p1] }
                  - { id: b, door: { inside: [p1], outside: [p3] } }
                """, file: "bad.yaml")
            Issue.record("a read point in two zones must fail")
        } catch {
            #expect(error.errors.map(\.description) == [
                "bad.yaml:3:31: zones[1].door.inside[0]: read point 'p1' is already in zone 'a' (line 2); expected each read point in one zone, on one side of one door",
            ])
        }
    }
}
