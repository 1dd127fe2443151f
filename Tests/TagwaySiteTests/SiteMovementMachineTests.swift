import TagwayModel
import TagwayZones
import Testing
@testable import TagwaySite

/// The site picture from gateway events applied in time order.
@Suite struct SiteMovementMachineTests {
    func run(_ events: [MovementEvent], until end: Int64? = nil, rules: SiteRules = SiteRules([])) -> (SiteMovementMachine, [String]) {
        var machine = SiteMovementMachine(settings: SiteSettings(handoverWindow: .seconds(60)), rules: rules)
        var changes: [SiteChange] = []
        for event in events { machine.apply(event, into: &changes) }
        if let end { machine.advance(to: at(end), into: &changes) }
        var output = SiteOutput()
        output.changes = changes
        return (machine, output.summary)
    }

    @Test func aDepartureFollowedByAnArrivalElsewhereWithinTheWindowIsOneMove() {
        var a = GatewayStream("dock-a"), b = GatewayStream("store-b")
        let (machine, events) = run([
            a.event(.arrived, "laptop", at: 1_000, to: "dock"),
            a.event(.departed, "laptop", at: 601_000, from: "dock"),
            b.event(.arrived, "laptop", at: 640_000, to: "storage"),
        ], until: 10_000_000)
        #expect(events == ["arrived laptop - dock-a/dock t=1000 dock-a-1",
                           "moved laptop dock-a/dock store-b/storage t=640000 dock-a-2+store-b-1"])
        #expect(machine.assets["laptop"]?.location == SiteLocation(gateway: "store-b", zone: "storage"))
        #expect(machine.assets["laptop"]?.since == at(640_000))
        #expect(machine.counters.handovers == 1)
    }

    @Test func withoutAnArrivalWithinTheWindowTheDepartureIsTheSites() {
        var a = GatewayStream("dock-a"), b = GatewayStream("store-b")
        let (machine, events) = run([
            a.event(.arrived, "laptop", at: 1_000, to: "dock"),
            a.event(.departed, "laptop", at: 601_000, from: "dock"),
            b.event(.arrived, "laptop", at: 700_000, to: "storage"),
        ])
        #expect(events == ["arrived laptop - dock-a/dock t=1000 dock-a-1",
                           "departed laptop dock-a/dock - t=601000 dock-a-2",
                           "arrived laptop - store-b/storage t=700000 store-b-1"])
        #expect(machine.assets.count == 1)
    }

    @Test func anArrivalBeforeTheOldGatewayNoticesIsAMoveAndItsLaterDepartureIsSuperseded() {
        var a = GatewayStream("dock-a"), b = GatewayStream("store-b")
        let (machine, events) = run([
            a.event(.arrived, "laptop", at: 1_000, to: "dock"),
            b.event(.arrived, "laptop", at: 30_000, to: "storage"),
            a.event(.departed, "laptop", at: 601_000, from: "dock"),
        ], until: 10_000_000)
        #expect(events == ["arrived laptop - dock-a/dock t=1000 dock-a-1",
                           "moved laptop dock-a/dock store-b/storage t=30000 store-b-1"])
        #expect(machine.counters.superseded == 1)
        #expect(machine.assets["laptop"]?.departure == nil)
    }

    @Test func aMoveWithinOneGatewayAndABriefAbsenceAtTheSamePlace() {
        var a = GatewayStream("dock-a")
        let (_, events) = run([
            a.event(.arrived, "laptop", at: 1_000, to: "dock"),
            a.event(.moved, "laptop", at: 5_000, from: "dock", to: "staging"),
            a.event(.departed, "laptop", at: 605_000, from: "staging"),
            a.event(.arrived, "laptop", at: 610_000, to: "staging"),
        ], until: 10_000_000)
        #expect(events == ["arrived laptop - dock-a/dock t=1000 dock-a-1",
                           "moved laptop dock-a/dock dock-a/staging t=5000 dock-a-2"])
    }

    @Test func siteRulesAlertOncePerEpisodeAcrossGateways() throws {
        let rule = GeofenceRule(id: "laptops-stay-inside", match: AssetMatch(keyPrefix: "laptop"),
                                allowedZones: ["dock-a/*", "store-b/storage"])
        var a = GatewayStream("dock-a"), b = GatewayStream("store-b")
        let (_, events) = run([
            a.event(.arrived, "laptop-1", at: 1_000, to: "dock"),
            b.event(.arrived, "laptop-1", at: 2_000, to: "yard"),
            b.event(.moved, "laptop-1", at: 3_000, from: "yard", to: "gate"),
            b.event(.moved, "laptop-1", at: 4_000, from: "gate", to: "storage"),
            b.event(.moved, "laptop-1", at: 5_000, from: "storage", to: "yard"),
            b.event(.arrived, "chair-1", at: 6_000, to: "yard"),
        ], rules: SiteRules([rule]))
        #expect(events.filter { $0.hasPrefix("alert") } == [
            "alert laptop-1 - store-b/yard laptops-stay-inside t=2000 store-b-1",
            "alert laptop-1 - store-b/yard laptops-stay-inside t=5000 store-b-4",
        ])
    }

    @Test func siteEventIDsAreTheSameEveryTimeTheSameEventsAreApplied() {
        var a = GatewayStream("dock-a"), b = GatewayStream("store-b")
        let events = [a.event(.arrived, "laptop", at: 1_000, to: "dock"), a.event(.departed, "laptop", at: 601_000, from: "dock"),
                      b.event(.arrived, "laptop", at: 640_000, to: "storage")]
        func ids() -> [String] {
            var machine = SiteMovementMachine()
            var changes: [SiteChange] = []
            for event in events { machine.apply(event, into: &changes) }
            return changes.compactMap { if case let .event(e) = $0 { return e.id } else { return nil } }
        }
        let first = ids()
        #expect(first.count == 2 && first == ids())
        #expect(Set(first).count == 2)
        #expect(first.allSatisfy { $0.count == 36 && $0.dropFirst(14).first == "7" })
    }

    @Test func aRestoredPictureResolvesItsPendingDeparture() {
        var machine = SiteMovementMachine(settings: SiteSettings(handoverWindow: .seconds(60)))
        let ref = AssetRef(key: "laptop", scheme: "giai", raw: "laptop")
        machine.restore([SiteAssetState(asset: ref, location: SiteLocation(gateway: "dock-a", zone: "dock"), since: at(0),
                                        lastSeen: at(0), lastEventID: "dock-a-2",
                                        departure: .init(time: at(600_000), eventID: "dock-a-2"))])
        var changes: [SiteChange] = []
        machine.advance(to: at(660_001), into: &changes)
        #expect(changes.count == 2)
        #expect(changes.last == .delete(assetKey: "laptop"))
        #expect(machine.assets.isEmpty)
    }
}
