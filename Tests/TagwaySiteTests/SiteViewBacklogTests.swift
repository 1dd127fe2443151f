import TagwayModel
import Testing
@testable import TagwaySite

/// A site that was down, or a site process that takes over, gets the gateways' backlog in one
/// burst, long after the events' times. The handovers in it must be judged by how far the
/// backlog has got, not by the site's clock: by the clock, every departure's handover window
/// closed long ago, and a departure applied a moment before its arrival would be split into
/// `departed` then `arrived`.
@Suite struct SiteViewBacklogTests {
    typealias Fault = SiteViewFaultTests

    /// The events in stream order (the gateways published them live, so by time), received
    /// `late` after their time, `spacing` apart.
    static func backlog(_ events: [MovementEvent], late: Int64, spacing: Int64) -> [(Int64, MovementEvent)] {
        let ordered = events.sorted { ($0.time, $0.gateway) < ($1.time, $1.gateway) }
        let start = (ordered.last?.time.milliseconds ?? 0) + late
        return ordered.enumerated().map { (start + Int64($0.offset) * spacing, $0.element) }
    }

    @Test(arguments: 0..<12)
    func aBacklogReplayedAnHourLateGivesTheLiveRunsEvents(seed: UInt64) {
        let events = Fault.scenario(seed: seed)
        let (expected, expectedPicture) = Fault.run(Fault.clean(events))
        for spacing in [0, 1, 50] as [Int64] {
            let (got, picture) = Fault.run(Self.backlog(events, late: 3_600_000, spacing: spacing))
            #expect(Fault.byAsset(got) == Fault.byAsset(expected), "spacing \(spacing): \(Fault.firstDifference(got, expected))")
            #expect(picture == expectedPicture, "spacing \(spacing)")
        }
    }

    /// Once the burst is over and nothing comes for a reorder window, the site's clock judges the
    /// departures left, as it does when live: a quiet site still reports `departed`.
    @Test func departuresResolveOnceTheBacklogIsOver() {
        var view = SiteView(settings: SiteSettings(handoverWindow: .seconds(60), reorderWindow: .seconds(2)))
        var dock = GatewayStream("dock")
        let now: Int64 = 10_000_000
        _ = view.receive(dock.event(.arrived, "a", at: 1_000, to: "z"), at: at(now))
        _ = view.receive(dock.event(.departed, "a", at: 700_000, from: "z"), at: at(now + 1))
        // Still in the burst: the backlog has not got past the departure's window yet.
        #expect(view.advance(to: at(now + 1_000)).events.isEmpty)
        guard let deadline = view.nextDeadline else {
            Issue.record("a pending departure must give a deadline")
            return
        }
        #expect(deadline.milliseconds <= now + 1 + 2_000 + 2_000, "the shell must be woken when the burst is over")
        let later = view.advance(to: at(now + 10_000))
        #expect(later.events.map(\.type) == [.arrived, .departed])
    }
}

/// A gateway's clock judged by its `Tagway-Sent-At` against the stream's store time: behind is
/// reported too, and a backlog delivered late is not mistaken for a clock that is behind.
@Suite struct ClockBehindTests {
    @Test func aGatewayWhoseClockIsBehindIsReportedOnceAndWhenItComesBack() {
        var view = SiteView(settings: SiteSettings(maxClockSkew: .seconds(5)))
        var slow = GatewayStream("slow")
        // Sent at 100 s by its clock, stored at 160 s by the servers': 60 s behind.
        let first = view.receive(slow.event(.arrived, "a", at: 99_000, to: "z"), at: at(161_000),
                                 sent: (at(100_000), at(160_000)))
        #expect(first.problems == [.clockBehind(gateway: "slow", byMilliseconds: 60_000)])
        #expect(view.receive(slow.event(.arrived, "b", at: 101_000, to: "z"), at: at(162_000),
                             sent: (at(101_500), at(161_000))).problems.isEmpty)
        // Now ahead: reported as ahead, then back within the bound.
        #expect(view.receive(slow.event(.arrived, "c", at: 170_000, to: "z"), at: at(163_000),
                             sent: (at(170_000), at(162_000))).problems == [.clockAhead(gateway: "slow", byMilliseconds: 8_000)])
        #expect(view.receive(slow.event(.arrived, "d", at: 163_000, to: "z"), at: at(164_000),
                             sent: (at(163_100), at(163_000))).problems == [.clockBack(gateway: "slow")])
    }

    @Test func aBacklogSentLateIsNotAClockBehind() {
        var view = SiteView(settings: SiteSettings(maxClockSkew: .seconds(5)))
        var dock = GatewayStream("dock")
        // An event of an hour ago, published (and stored) now, received a day later: the clocks agree.
        let output = view.receive(dock.event(.arrived, "a", at: 0, to: "z"), at: at(90_000_000),
                                  sent: (at(3_600_000), at(3_600_040)))
        #expect(output.problems.isEmpty)
    }

    @Test func withoutTheHeaderOnlyAClockAheadCanBeTold() {
        var monitor = ClockSkewMonitor(maxClockSkew: .seconds(5))
        #expect(monitor.observe(gateway: "g", eventTime: at(0), receivedAt: at(3_600_000)) == nil)
        #expect(monitor.observe(gateway: "g", eventTime: at(3_700_000), receivedAt: at(3_600_000))
            == .clockAhead(gateway: "g", byMilliseconds: 100_000))
        #expect(monitor.gatewaysAhead == ["g": 100_000] && monitor.gatewaysBehind.isEmpty)
    }
}
