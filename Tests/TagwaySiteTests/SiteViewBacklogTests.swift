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
