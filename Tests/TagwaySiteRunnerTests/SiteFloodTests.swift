import Foundation
import Logging
import NATSServerSupport
import TagwayModel
import TagwayRuntime
import TagwaySinks
import TagwaySite
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// Issue 17 item 4, a gateway that floods: 1,000 events at once from one gateway into a site
/// whose reorder window (60 s) would hold them all. The site holds at most `maxReorderHeld` (200):
/// the earliest go early, each counted and logged as a reorder overflow, so it keeps applying
/// within seconds instead of growing its memory; a clean stop then applies the rest, and every
/// event is in the picture once. The overflows are logged once per step with their number, not
/// once per event (a flood of events would otherwise be a flood of log lines).
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteFloodTests {
    let fixture: NATSServerFixture
    var server: NATSServer { fixture.server }

    init() throws { fixture = try NATSServerFixture("site-flood") }

    static func flood(_ count: Int) -> [MovementEvent] {
        let base = SystemClock.now().milliseconds - 3_600_000
        var rng = SplitMix64(seed: 23)
        return (1...count).map { i in
            let time = Timestamp(milliseconds: base + Int64(i))
            return MovementEvent(id: EventID.make(time: time, using: &rng), seq: Int64(i), type: .arrived, time: time, gateway: "flood-gw",
                                 asset: AssetRef(key: "urn:epc:id:giai:0614141.9\(i)", scheme: "giai", raw: "F\(i)"), from: nil, to: "z1")
        }
    }

    @Test func aFloodIsAppliedEarlyWithinTheBoundAndCounted() async throws {
        let events = Self.flood(1_000)
        let nats = try SiteScenario.connect([server.url])
        try SiteScenario.publish(events, to: nats)
        var config = try SiteRunnerTests.configuration([server.url])
        config.view.reorderWindow = .seconds(60)
        config.view.maxReorderHeld = 200
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        let recorder = LogRecorder()
        let runner = SiteRunner(config: config, options: options, logger: recorder.logger(level: .warning))
        let task = Task { await runner.run() }
        var early = false
        for _ in 0..<600 where !early {
            try await Task.sleep(for: .milliseconds(50))
            early = runner.counters.published >= 800
        }
        // Within seconds, not the 60 s window: what exceeded the bound went early, each counted.
        let whileRunning = runner.counters
        task.cancel()
        await task.value
        #expect(early, "\(whileRunning)")
        #expect(whileRunning.published >= 800 && whileRunning.published <= 1_000)
        #expect(whileRunning.problems >= 800, "each early release counted: \(whileRunning)")
        #expect(whileRunning.lastProblem?.contains("the reorder buffer was full") == true, "\(whileRunning)")
        // The clean stop applied what was held: every event once.
        let written = try SiteRunnerTests.written(nats, config)
        #expect(written.picture.count == 1_000)
        #expect(written.ids.count == 1_000 && Set(written.ids).count == 1_000)
        let overflowLines = recorder.text.split(separator: "\n").filter { $0.contains("the reorder buffer was full") }
        #expect(!overflowLines.isEmpty && overflowLines.count <= 100, "\(overflowLines.count) lines for \(whileRunning.problems) overflows")
        #expect(overflowLines.contains { $0.contains("times in this step") }, "\(overflowLines.prefix(3))")
    }
}
