import TagwayModel
import TagwayZones
import Testing

/// Scan stations, geofence rules and their episodes, unknown assets.
@Suite struct ScanAndGeofenceTests {
    static let site = """
        zones:
          - { id: it-storage, aliases: [room-2.14], readPoints: [store] }
          - { id: helpdesk, readPoints: [desk-scan], mode: scan }
          - { id: repair, readPoints: [repair-scan], mode: scan }
          - { id: lab, readPoints: [lab] }
          - { id: dock-3, door: { inside: [door3-in], outside: [door3-out] } }
        rules:
          - { id: laptops-stay-inside, match: { keyPrefix: "urn:epc:id:giai:0614141." }, allowedZones: [room-2.14, helpdesk], alertOn: [passed-out] }
          - { id: no-lab, match: { scheme: sgtin }, forbiddenZones: [lab] }
        movement: { departAfter: 5s }
        """

    func harness() throws -> EngineHarness {
        var h = try EngineHarness(yaml: Self.site)
        h.keys["01"] = AssetRef(key: "urn:epc:id:giai:0614141.1", scheme: "giai", raw: "01")
        h.keys["02"] = AssetRef(key: "urn:epc:id:sgtin:0614141.812345.6789", scheme: "sgtin", raw: "02")
        return h
    }

    @Test func aScanPlacesTheAssetAtOnceAndItNeverDeparts() throws {
        var h = try harness()
        h.scan(1000, "desk-scan", "ASSET-1")
        #expect(h.take() == ["1000 observed ASSET-1 to=helpdesk at=desk-scan", "1000 arrived ASSET-1 to=helpdesk at=desk-scan"])
        h.advance(100_000)
        h.scan(100_000, "repair-scan", "ASSET-1")
        #expect(h.take() == ["100000 observed ASSET-1 to=repair at=repair-scan",
                             "100000 moved ASSET-1 from=helpdesk to=repair at=repair-scan"])
        h.scan(100_500, "repair-scan", "ASSET-1")
        #expect(h.take() == ["100500 observed ASSET-1 to=repair at=repair-scan"])
    }

    @Test func aScanAtAPresenceZoneIsOnlyObserved() throws {
        var h = try harness()
        h.scan(0, "store", "ASSET-2")
        #expect(h.take() == ["0 observed ASSET-2 to=it-storage at=store"])
    }

    @Test func leavingTheAllowedZonesAlertsOncePerEpisode() throws {
        var h = try harness()
        for i in 0..<5 { h.read(Int64(i * 100), "store", "01", rssi: -50) }
        #expect(h.take() == ["0 arrived 01 to=it-storage at=store"])
        for i in 0..<20 { h.read(Int64(3000 + i * 100), "lab", "01", rssi: -50) }
        #expect(h.take() == ["3100 moved 01 from=it-storage to=lab at=lab",
                             "3100 alert 01 rule=laptops-stay-inside reason=outside allowed zones (room-2.14, helpdesk): in lab"])
        // Still outside (the dock): the same episode, no second alert for the location …
        DoorTests.walk(&h, tag: "01", from: 6000, through: ["door3-in", "door3-out"])
        let lines = h.take()
        #expect(lines.filter { $0.contains("reason=outside") }.isEmpty)
        // … but passing out through a door it may not use is its own alert.
        #expect(lines.contains { $0.hasSuffix("rule=laptops-stay-inside reason=passed out through door dock-3") })
        // Back in storage ends the episode; leaving again alerts again.
        for i in 0..<20 { h.read(Int64(20_000 + i * 100), "store", "01", rssi: -50) }
        for i in 0..<20 { h.read(Int64(30_000 + i * 100), "lab", "01", rssi: -50) }
        #expect(h.take().filter { $0.contains(" alert ") }.count == 1)
    }

    @Test func enteringAForbiddenZoneAlerts() throws {
        var h = try harness()
        for i in 0..<5 { h.read(Int64(i * 100), "lab", "02", rssi: -50) }
        #expect(h.take() == ["0 arrived 02 to=lab at=lab", "0 alert 02 rule=no-lab reason=in forbidden zone lab"])
        for i in 0..<50 { h.read(Int64(500 + i * 100), "lab", "02", rssi: -50) }
        #expect(h.take().isEmpty)
    }

    @Test func unknownAssetsAreTrackedAndReported() throws {
        var h = try harness()
        for i in 0..<5 { h.read(Int64(i * 100), "lab", "7F", rssi: -50) }
        #expect(h.take() == ["0 arrived 7F to=lab at=lab"])
        #expect(h.engine.counters.unmatchedAssets == 1)
        #expect(h.engine.zone(of: TagID(hex: "7F")!) == "lab")
    }

    @Test func matchingByEachCondition() throws {
        let giai = AssetRef(key: "urn:epc:id:giai:0614141.12345400", scheme: "giai", raw: "3414257BF400000000BC6038")
        let barcode = AssetRef(key: "barcode:ASSET-004217", scheme: "barcode", raw: "ASSET-004217")
        #expect(AssetMatch(keyPrefix: "urn:epc:id:giai:").matches(giai))
        #expect(!AssetMatch(keyPrefix: "urn:epc:id:giai:").matches(barcode))
        #expect(AssetMatch(scheme: "giai").matches(giai))
        #expect(AssetMatch(companyPrefix: "0614141").matches(giai))
        #expect(!AssetMatch(companyPrefix: "061414").matches(giai))
        #expect(!AssetMatch(companyPrefix: "0614141").matches(barcode))
        #expect(try AssetMatch(pattern: Pattern("^ASSET-[0-9]{6}$")).matches(barcode))
        #expect(try !AssetMatch(pattern: Pattern("^ASSET-[0-9]{7}$")).matches(barcode))
        #expect(!AssetMatch(scheme: "giai", companyPrefix: "9999999").matches(giai))
    }
}
