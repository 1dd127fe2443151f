import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// kill -9 of `tagway run` at seeded random moments of a scripted scenario on ptys (issue 11).
///
/// Two runs of the same `CrashScenario` go side by side, each with its own data dir and four
/// simulated M100 readers: the reference is never killed; the other is SIGKILLed (one scripted
/// long downtime, then `SOAK_KILLS - 1` short ones, 20 by default; every fifth one is followed by
/// a second kill during the restart) and restarted on the same data dir each time. At the end
/// both are stopped cleanly and their logs compared by `CrashComparison`, which states exactly
/// what the restart semantics allow. `make soak` runs it with more kills (a longer scenario).
@Suite(.serialized) struct KillStressTests {
    static var kills: Int { ProcessInfo.processInfo.environment["SOAK_KILLS"].flatMap(Int.init) ?? 20 }
    static var seed: UInt64 { ProcessInfo.processInfo.environment["SOAK_SEED"].flatMap(UInt64.init) ?? 0x11_2026 }
    /// Long enough that a short downtime (a restart: log open, restore, readers reconnecting,
    /// twice for a kill during the start) plus the state interval stays under it on this machine.
    static let departAfter = Duration.seconds(6)
    static let timing = CrashComparison.Timing(departAfter: 6_000, stateInterval: 1_000, poll: 100, tolerance: 700)

    struct Run {
        var gateway: KillableGateway
        var readers: [SimulatedReader]
        var start: Int64 = 0
    }

    static func prepare(_ label: String, scenario: CrashScenario) throws -> Run {
        let dir = TestPaths.temporaryDirectory("crash-" + label)
        let readers = try CrashScenario.readPoints.map { point in
            try SimulatedReader(path: dir + "/" + point,
                                emulator: EmulatorFactory.make(protocolID: "magicrf-m100", settings: [:]),
                                scenario: Scenario.parse(scenario.script(point), file: point))
        }
        let gateway = try KillableGateway(dir: dir, config: scenario.config(dir: dir, devices: TestPaths.repositoryDevices),
                                          readers: CrashScenario.readPoints.map { "r-" + $0 })
        try gateway.start()
        return Run(gateway: gateway, readers: readers)
    }

    /// Starts the simulators once the gateway reads; returns the scenario's start (wall ms).
    static func play(_ run: inout Run) async throws {
        #expect(try await run.gateway.waitReady(), "\(run.gateway.allStderr)")
        run.start = KillableGateway.nowMilliseconds()
        for reader in run.readers { reader.start() }
    }

    static func sleep(until scenarioSeconds: Double, from start: Int64) async throws {
        let wait = start + Int64(scenarioSeconds * 1000) - KillableGateway.nowMilliseconds()
        if wait > 0 { try await Task.sleep(for: .milliseconds(wait)) }
    }

    static func events(_ run: Run) throws -> [MovementEvent] {
        try EventLog.openExisting(directory: run.gateway.dir).events(after: 0, limit: 1_000_000)
    }

    @Test func sigkillAtRandomMomentsLosesInventsAndRepeatsNothing() async throws {
        let scenario = CrashScenario(kills: Self.kills, departAfter: Self.departAfter)
        let plan = KillPlan(count: Self.kills, seed: Self.seed, window: scenario.killWindow)
        var reference = try Self.prepare("reference", scenario: scenario)
        var crashed = try Self.prepare("killed", scenario: scenario)
        defer {
            for run in [reference, crashed] {
                run.readers.forEach { $0.stop() }
                run.gateway.stop()
                try? FileManager.default.removeItem(atPath: run.gateway.dir)
            }
        }
        try await Self.play(&reference)
        try await Self.play(&crashed)
        let gateway = crashed.gateway

        // The scripted long downtime: `gone` leaves while no gateway runs, and its departure is due
        // before the restart.
        try await Self.sleep(until: seconds(scenario.longKillAt), from: crashed.start)
        let longKill = gateway.kill9()
        try await Task.sleep(for: scenario.longDowntime)
        try gateway.start()
        #expect(try await gateway.waitReady(), "\(gateway.allStderr)")
        var downtimes = [KillableGateway.Downtime(killed: longKill, ready: KillableGateway.nowMilliseconds())]

        // Short kills at the seeded moments, never sooner than 1.5 s after the gateway is ready
        // again (so the state interval has written every asset's last read at least once).
        var ready = downtimes[0].ready
        for kill in plan.kills {
            try await Self.sleep(until: kill.at, from: crashed.start)
            let earliest = ready + 1_500 - KillableGateway.nowMilliseconds()
            if earliest > 0 { try await Task.sleep(for: .milliseconds(earliest)) }
            #expect(try await gateway.crashAndRestart(startupKillAfter: kill.startupKillAfter), "\(gateway.allStderr)")
            ready = gateway.downtimes.last?.ready ?? KillableGateway.nowMilliseconds()
        }
        downtimes += gateway.downtimes
        // A precondition, not the property under test: a short downtime plus the state interval
        // must stay under departAfter, or assets that stayed would rightly depart (a machine too
        // loaded to restart the gateway in time, reported as such).
        let tooLong = gateway.downtimes.filter { $0.ready - $0.killed + Self.timing.stateInterval + 1_000 > Self.timing.departAfter }
        #expect(tooLong.isEmpty, "restarts too slow for the scenario: \(tooLong.map { $0.ready - $0.killed }) ms")
        #expect(gateway.kills >= Self.kills, "only \(gateway.kills) kills")

        try await Self.sleep(until: seconds(scenario.settled) + 2, from: crashed.start)
        try await Self.sleep(until: seconds(scenario.settled) + 2, from: reference.start)
        reference.gateway.stop()
        gateway.stop()
        let expected = try Self.events(reference)
        let got = try Self.events(crashed)
        let relative = downtimes.map { CrashComparison.Downtime(killed: $0.killed - crashed.start, ready: $0.ready - crashed.start) }
        let violations = CrashComparison.violations(reference: expected, referenceStart: reference.start, crashed: got,
                                                    crashedStart: crashed.start, downtimes: relative, timing: Self.timing)
        let summary = "\(gateway.kills) kills, downtimes (ms from start) \(relative.map { "\($0.killed)-\($0.ready)" }); "
            + "\(expected.count) reference events, \(got.count) after kills"
        #expect(violations.isEmpty, "\(summary)\n\(violations.joined(separator: "\n"))")
        // The scenario must have exercised what it claims: every kind of movement, and the
        // departure of `gone` inside the long downtime.
        #expect(Set(expected.map(\.type)).isSuperset(of: [.arrived, .moved, .passed, .alert, .departed]), "\(summary)")
        let gone = got.first { $0.asset.raw == scenario.tag("gone") && $0.type == .departed }
        #expect(gone?.reason == CrashComparison.restartReason, "\(summary)")
        #expect(gone.map { $0.time.milliseconds < downtimes[0].ready && $0.time.milliseconds > downtimes[0].killed } == true,
                "gone departed at \(gone.map { "\($0.time.milliseconds - crashed.start)" } ?? "never") ms; \(summary)")
    }
}
