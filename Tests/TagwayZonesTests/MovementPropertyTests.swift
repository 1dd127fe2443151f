import Foundation
import TagwayDebounce
import TagwayModel
import TagwayZones
import Testing

/// Random read streams against the invariants every consumer relies on.
@Suite struct MovementPropertyTests {
    typealias SplitMix = SplitMix64

    static let layout = """
        zones:
          - { id: aisle, readPoints: [a1, a2] }
          - { id: store, readPoints: [s1] }
          - { id: desk, readPoints: [scan1], mode: scan }
          - { id: door, door: { inside: [d-in], outside: [d-out] } }
        rules:
          - { id: r1, match: { keyPrefix: "tag:0" }, allowedZones: [aisle, desk], alertOn: [passed-out] }
          - { id: r2, match: { keyPrefix: "tag:1" }, forbiddenZones: [store] }
        movement: { departAfter: 3s, maxAssets: 12 }
        """
    static let points = ["a1", "a2", "s1", "d-in", "d-out", "loose"]

    @Test(arguments: 0..<40)
    func invariantsHoldOnRandomStreams(seed: UInt64) throws {
        var rng = SplitMix(seed: seed &* 0x1234_5678_9ABC_DEF1)
        var h = try EngineHarness(yaml: Self.layout, maxPresent: 64)
        var t: Int64 = 0
        var zoneOf: [String: String] = [:]
        var lastTime: [String: Int64] = [:]
        var expectedAlerts: [String: Int] = [:]
        for _ in 0..<3000 {
            // Mostly forward in time, sometimes a burst, sometimes a late read from a slow reader.
            let step = Int64(rng.next() % 40)
            t += rng.next() % 50 == 0 ? 4000 : step
            let late = rng.next() % 30 == 0 ? Int64(rng.next() % 500) : 0
            let tag = String(format: "%02X", Int(rng.next() % 24))
            if rng.next() % 25 == 0 {
                h.scan(t - late, "scan1", "CODE-\(rng.next() % 5)")
            } else {
                let point = Self.points[Int(rng.next() % UInt64(Self.points.count))]
                let rssi: Int? = rng.next() % 5 == 0 ? nil : -70 + Int(rng.next() % 31)
                h.read(t - late, point, tag, rssi: rssi)
            }
            if rng.next() % 100 == 0 { h.advance(t) }
            for event in h.events {
                let key = (event.isScan ? "scan:" : "") + event.tag.hex
                let time = event.time.milliseconds
                #expect(time >= lastTime[key, default: .min], "events of \(key) out of order")
                lastTime[key] = time
                let from = h.engine.zoneID(event.from), to = h.engine.zoneID(event.to)
                switch event.type {
                case .arrived:
                    #expect(zoneOf[key] == nil, "\(key) arrived while in \(zoneOf[key] ?? "")")
                    expectedAlerts[key, default: 0] += Self.episodesStarted(key, from: nil, to: to)
                    zoneOf[key] = to
                case .moved:
                    #expect(zoneOf[key] == from && from != to, "\(key) moved from \(from ?? "-") but was in \(zoneOf[key] ?? "nowhere")")
                    expectedAlerts[key, default: 0] += Self.episodesStarted(key, from: from, to: to)
                    zoneOf[key] = to
                case .departed:
                    #expect(zoneOf[key] == from, "\(key) departed without having arrived")
                    zoneOf[key] = nil
                case .passed:
                    #expect(zoneOf[key] == "door" && to == "door")
                case .alert:
                    let reason = h.engine.reasonText(event) ?? ""
                    if !reason.hasPrefix("passed") {
                        #expect(expectedAlerts[key, default: 0] > 0, "alert for \(key) without entering a violation: \(reason)")
                        expectedAlerts[key, default: 0] -= 1
                    }
                case .observed:
                    break
                case .audit, .unknown:
                    Issue.record("the movement engine made an \(event.type.rawValue) event")
                }
            }
            h.events.removeAll()
            #expect(expectedAlerts.values.allSatisfy { $0 == 0 }, "a location episode started without its alert")
            #expect(h.engine.trackedAssets <= 12)
        }
        // The engine's view agrees with the one rebuilt from its events.
        for (key, zone) in zoneOf where !key.hasPrefix("scan:") {
            #expect(h.engine.zone(of: TagID(hex: key)!) == zone)
        }
    }

    /// Location episodes of `layout`'s rules an asset starts by going from one zone to another:
    /// r1 (tags 0x) is allowed only in aisle and desk, r2 (tags 1x) is forbidden in store.
    static func episodesStarted(_ key: String, from: String?, to: String?) -> Int {
        func violates(_ zone: String?) -> Bool {
            guard let zone else { return false }
            if key.hasPrefix("0") { return zone != "aisle" && zone != "desk" }
            if key.hasPrefix("1") { return zone == "store" }
            return false
        }
        return violates(to) && !violates(from) ? 1 : 0
    }

    @Test func noFlappingBetweenOverlappingNeighbours() throws {
        var rng = SplitMix(seed: 7)
        var h = try EngineHarness(yaml: Self.layout)
        // A tag parked between two zones that both read it 10 times a second with the same
        // noisy signal, for ten minutes: it arrives once and never moves.
        for i in 0..<6000 {
            h.read(Int64(i * 100), "s1", "99", rssi: -60 + Int(rng.next() % 7))
            h.read(Int64(i * 100 + 50), "a1", "99", rssi: -60 + Int(rng.next() % 7))
        }
        #expect(h.take().count == 1)
    }

    @Test func steadyStateMemoryStaysWithinTheBound() throws {
        var h = try EngineHarness(yaml: Self.layout, maxPresent: 64)
        for i in 0..<20_000 {
            h.read(Int64(i), Self.points[i % 5], String(format: "%04X", i % 500), rssi: -50)
            h.events.removeAll(keepingCapacity: true)
        }
        #expect(h.engine.trackedAssets == 12)
        #expect(h.engine.counters.evictions > 0)
        #expect(h.engine.debouncer.presentCount <= 64)
    }
}
