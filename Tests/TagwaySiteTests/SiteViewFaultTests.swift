import TagwayModel
import Testing
@testable import TagwaySite

/// The site's picture and each asset's site events do not depend on how the gateways' events
/// were delivered:
/// redelivered, out of order within a gateway, interleaved across gateways within the reorder
/// window, or applied by a site process that was killed and replaced mid-way (resuming from the
/// positions and picture it had written). Each run is compared with the clean delivery of the
/// same scenario. Across assets, the order events are published in follows the delivery (a
/// departure is published when its handover window closes, by the site's clock), so runs are
/// compared asset by asset.
@Suite struct SiteViewFaultTests {
    static let settings = SiteSettings(handoverWindow: .seconds(60), reorderWindow: .seconds(2), gapTimeout: .seconds(30))

    /// Assets wandering between three gateways: each visit arrives, may move within the gateway,
    /// and departs `departAfter` after its last read; the next visit starts before that departure
    /// (seen elsewhere first), within the handover window, or long after it.
    static func scenario(seed: UInt64) -> [MovementEvent] {
        var rng = SplitMix64(seed: seed)
        var streams = ["dock-a", "floor-b", "store-c"].map { GatewayStream($0) }
        var pending: [(Int, EventType, String, Int64, String?, String?)] = []
        for asset in 0..<12 {
            var t = Int64(rng.next() % 60_000)
            for _ in 0..<(2 + rng.next() % 4) {
                let g = Int(rng.next() % 3)
                let zones = ["z1", "z2", "z3"]
                var zone = zones[Int(rng.next() % 3)]
                pending.append((g, .arrived, "asset-\(asset)", t, nil, zone))
                if rng.next() % 2 == 0 {
                    let next = zones.filter { $0 != zone }[Int(rng.next() % 2)]
                    t += 1_000 + Int64(rng.next() % 20_000)
                    pending.append((g, .moved, "asset-\(asset)", t, zone, next))
                    zone = next
                }
                let lastRead = t + Int64(rng.next() % 30_000)
                let departure = lastRead + 600_000
                pending.append((g, .departed, "asset-\(asset)", departure, zone, nil))
                switch rng.next() % 3 {
                case 0: t = lastRead + 5_000 + Int64(rng.next() % 100_000)       // seen elsewhere first
                case 1: t = departure + Int64(rng.next() % 50_000)               // within the handover window
                default: t = departure + 200_000 + Int64(rng.next() % 300_000)   // gone, then back
                }
            }
        }
        // Each gateway numbers its events in time order, as its log does.
        pending.sort { ($0.3, $0.0, $0.2) < ($1.3, $1.0, $1.2) }
        return pending.map { g, type, asset, time, from, to in streams[g].event(type, asset, at: time, from: from, to: to) }
    }

    /// Feeds deliveries (receive time, event) in receive order, advancing between them and far
    /// past the end; returns the site events and the final picture.
    static func run(_ deliveries: [(Int64, MovementEvent)], crashAfter: Int? = nil) -> ([SiteEvent], [String: SiteAssetState]) {
        var view = SiteView(settings: settings)
        var published: [SiteEvent] = []
        // What the shell has written: the bucket's rows and, per gateway, the next seq to apply.
        var bucket: [String: SiteAssetState] = [:]
        var resume: [String: Int64] = [:]
        func carry(_ output: SiteOutput) {
            for change in output.changes {
                switch change {
                case let .event(event): published.append(event)
                case let .put(state): bucket[state.asset.key] = state
                case let .delete(key): bucket[key] = nil
                }
            }
            for position in output.applied { resume[position.gateway] = position.seq + 1 }
        }
        var index = 0
        var crashed = false
        while index < deliveries.count {
            let (time, event) = deliveries[index]
            carry(view.advance(to: at(time)))
            carry(view.receive(event, at: at(time)))
            index += 1
            if index == crashAfter, !crashed {
                crashed = true
                // Killed: what was held is lost. The next process resumes from what was written,
                // and the stream redelivers everything from the start of the burst.
                var machine = SiteMovementMachine(settings: settings)
                machine.restore(Array(bucket.values))
                view = SiteView(restoring: machine, resume: resume)
                index = 0
            }
        }
        carry(view.advance(to: at(Int64.max / 2)))
        return (published, bucket)
    }

    /// The first event where two runs part, with the two lines, instead of two long arrays.
    static func firstDifference(_ got: [SiteEvent], _ expected: [SiteEvent]) -> String {
        func line(_ e: SiteEvent?) -> String {
            guard let e else { return "(none)" }
            return "\(e.type.rawValue) \(e.asset.key) \(e.from?.description ?? "-") -> \(e.to?.description ?? "-") t=\(e.time.milliseconds) \(e.causes)"
        }
        for i in 0..<max(got.count, expected.count) where got.indices.contains(i) != expected.indices.contains(i)
            || (got.indices.contains(i) && got[i] != expected[i]) {
            return "event \(i): got \(line(got.indices.contains(i) ? got[i] : nil)), expected \(line(expected.indices.contains(i) ? expected[i] : nil))"
        }
        return "same"
    }

    static func byAsset(_ events: [SiteEvent]) -> [String: [SiteEvent]] { Dictionary(grouping: events, by: \.asset.key) }

    static func clean(_ events: [MovementEvent]) -> [(Int64, MovementEvent)] {
        events.sorted { ($0.time, $0.gateway) < ($1.time, $1.gateway) }.map { ($0.time.milliseconds + 100, $0) }
    }

    @Test(arguments: 0..<24)
    func faultyDeliveryGivesTheCleanRunsEventsAndPicture(seed: UInt64) {
        let events = Self.scenario(seed: seed)
        let (expected, expectedPicture) = Self.run(Self.clean(events))
        #expect(expected.contains { $0.type == .moved && $0.from?.gateway != $0.to?.gateway })

        var rng = SplitMix64(seed: seed ^ 0xFA17)
        var deliveries: [(Int64, MovementEvent)] = []
        for event in events {
            // Delayed by up to 1.5 s (inside the 2 s window), some delivered twice.
            let delay = Int64(rng.next() % 1_500)
            deliveries.append((event.time.milliseconds + delay, event))
            if rng.next() % 5 == 0 { deliveries.append((event.time.milliseconds + delay + Int64(rng.next() % 1_000), event)) }
        }
        deliveries.sort { $0.0 < $1.0 }
        let (got, picture) = Self.run(deliveries)
        #expect(Self.byAsset(got) == Self.byAsset(expected), "\(Self.firstDifference(got, expected))")
        #expect(got.count == expected.count)
        #expect(picture == expectedPicture)

        let crashAt = 1 + Int(rng.next() % UInt64(deliveries.count - 1))
        let (afterCrash, crashPicture) = Self.run(deliveries, crashAfter: crashAt)
        #expect(Self.byAsset(afterCrash) == Self.byAsset(expected), "killed after delivery \(crashAt): \(Self.firstDifference(afterCrash, expected))")
        #expect(crashPicture == expectedPicture)
    }

    @Test func aMessageWithoutSeqIsReportedAndSkipped() {
        var view = SiteView()
        let stray = MovementEvent(id: "x", type: .arrived, time: at(0), gateway: "g", asset: AssetRef(key: "k", scheme: "s", raw: "k"),
                                  to: "z")
        let output = view.receive(stray, at: at(0))
        #expect(output.problems == [.notAnEvent(reason: "no seq from 1 up")])
        #expect(output.changes.isEmpty && view.notEvents == 1)
    }

    @Test func aGatewayWhoseClockIsAheadIsReportedOnce() {
        var view = SiteView(settings: SiteSettings(maxClockSkew: .seconds(5)))
        var stream = GatewayStream("fast")
        let first = view.receive(stream.event(.arrived, "a", at: 60_000, to: "z"), at: at(0))
        #expect(first.problems == [.clockAhead(gateway: "fast", byMilliseconds: 60_000)])
        #expect(view.receive(stream.event(.arrived, "b", at: 61_000, to: "z"), at: at(1_000)).problems.isEmpty)
        #expect(view.receive(stream.event(.arrived, "c", at: 62_000, to: "z"), at: at(62_000)).problems == [.clockBack(gateway: "fast")])
    }
}
