import TagwayDebounce
import TagwayModel
import TagwayZones
import Testing

/// A duration that slipped past the configuration's bounds makes a deadline "never" instead of
/// trapping at the first read (issue 10: `departAfter: 9223371000000000s` passed `check-config`
/// and crashed the gateway at the first read, and again at every restart).
@Suite struct SaturatingDeadlineTests {
    @Test func timestampArithmeticSaturates() {
        #expect(Timestamp(milliseconds: .max - 5) + .seconds(1) == Timestamp(milliseconds: .max))
        #expect(Timestamp(milliseconds: .min + 5) + .seconds(-1) == Timestamp(milliseconds: .min))
        #expect(Timestamp(milliseconds: 1_000) + .milliseconds(500) == Timestamp(milliseconds: 1_500))
        #expect(Timestamp(milliseconds: .max) - Timestamp(milliseconds: -10) == .milliseconds(Int64.max))
        #expect(Timestamp(milliseconds: .min) - Timestamp(milliseconds: 10) == .milliseconds(Int64.min))
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeMilliseconds == .min)
        #expect(Duration.milliseconds(-1500).wholeMilliseconds == -1500)
        #expect(Int64.max.saturatingAdd(1) == .max && Int64.min.saturatingAdd(-1) == .min)
        #expect(Int64.min.saturatingSubtract(1) == .min && Int64.max.saturatingSubtract(-1) == .max)
    }

    @Test(arguments: [Duration.seconds(9_223_371_000_000_000), .seconds(Int64.max), .milliseconds(Int64.max)])
    func aHugeDepartAfterNeverDepartsAndNeverTraps(departAfter: Duration) throws {
        var settings = MovementSettings()
        settings.departAfter = departAfter
        var harness = try EngineHarness(MovementConfiguration(settings: settings))
        let now: Int64 = 1_764_000_000_000
        harness.read(now, "dock", "E2801160600002", rssi: -50)
        harness.read(now + 1_000, "dock", "E2801160600002", rssi: -50)
        #expect(harness.engine.nextDeadline == Timestamp(milliseconds: .max))
        harness.advance(.max - 1)
        #expect(harness.take() == ["\(now) arrived E2801160600002 to=dock at=dock"])
    }

    @Test func aHugeDebouncerWindowAndHoldoffNeverTrap() {
        var debouncer = Debouncer(configuration: DebouncerConfiguration(
            window: .milliseconds(Int64.max), departAfter: .milliseconds(Int64.max), scanHoldoff: .milliseconds(Int64.max)))
        var sightings: [Sighting] = []
        debouncer.ingestScan(readPoint: 0, code: TagID(bytes: Array("0614141".utf8)), time: Timestamp(milliseconds: 1_000), into: &sightings)
        debouncer.ingestScan(readPoint: 0, code: TagID(bytes: Array("0614141".utf8)), time: Timestamp(milliseconds: .max - 1), into: &sightings)
        debouncer.advance(to: Timestamp(milliseconds: .max), into: &sightings)
        #expect(sightings.filter { $0.kind == .observed }.count == 1)
        #expect(debouncer.nextDeadline == nil || debouncer.nextDeadline == Timestamp(milliseconds: .max))
    }
}
