import Foundation
import Logging
import NATSServerSupport
import TagwayConfig
import TagwayDelivery
import TagwayModel
import TagwayRuntime
import TagwaySinks
import TagwaySite
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// A gateway whose clock is behind, told apart from a late delivery: the real JetStream sink
/// stamps each publish with its (60 s slow) wall clock, a real nats-server stores it with its own,
/// and the site process reports the gateway, although its events are an hour old anyway (which
/// by their times alone would look like a backlog).
extension SiteRunnerTests {
    @Test func aGatewayWhoseClockIsBehindIsReported() async throws {
        let events = SiteScenario.events(assets: 4)
        let options = JetStreamOptions(servers: [server.url], site: SiteScenario.site,
                                       stream: JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"]), clientName: "slow-gateway")
        let slow = GatewayClock(wall: { SystemClock.now() + .seconds(-60) }, monotonic: ContinuousClock())
        let sink = JetStreamSink(id: "js", options: options, timers: slow)
        let outcome = await sink.deliver(events)
        await sink.shutdown()
        #expect(outcome == .delivered, "\(outcome)")

        let config = try SiteRunnerTests.configuration([server.url])
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = SiteRunner(config: config, options: SiteRunner.Options(), logger: logger)
        let task = Task { await runner.run() }
        var reported = false
        for _ in 0..<200 where !reported {
            try await Task.sleep(for: .milliseconds(50))
            reported = runner.counters.lastProblem?.contains("clock is behind") == true
        }
        task.cancel()
        await task.value
        #expect(reported, "\(runner.counters)")
        let lag = runner.counters.lastProblem.flatMap { text in
            text.split(separator: " ").compactMap { Int64($0) }.first
        }
        #expect(lag.map { (59_000...61_000).contains($0) } == true, "\(runner.counters.lastProblem ?? "-")")
    }
}
