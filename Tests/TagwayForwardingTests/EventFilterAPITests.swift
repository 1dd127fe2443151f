import Foundation
import Testing
import TagwayAPI
import TagwayEventLog
import TagwayModel

/// `GET /v1/events` with `type`, `zone`, `asset` and `since` on a real socket against a real log:
/// the rows selected, `Tagway-Last-Seq`, paging past the filter, and 400s naming the parameter.
@Suite(.serialized) struct EventFilterAPITests {
    /// 40 events one second apart: assets k0...k3 in turn, types arrived/moved/passed/alert in
    /// turn, to zone dock-3 for even i and lab for odd i (moves come from it-storage).
    static func fill(_ log: EventLog) async throws {
        var rng = SystemRandomNumberGenerator()
        let types: [EventType] = [.arrived, .moved, .passed, .alert]
        var events: [MovementEvent] = []
        for i in 0..<40 {
            let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i) * 1000)
            let type = types[i % 4]
            events.append(MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: "gw",
                                        asset: AssetRef(key: "urn:x:k\(i % 4)", scheme: "test", raw: "\(i)"),
                                        from: type == .moved ? "it-storage" : nil, to: i % 2 == 0 ? "dock-3" : "lab", readPoint: "p"))
        }
        _ = try await log.append(events)
    }

    func seqs(_ response: TestResponse) -> [Int] {
        ((try? JSONSerialization.jsonObject(with: Data(response.body.utf8))) as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
    }

    @Test func filtersSelectPageAndRefuse() async throws {
        let dir = Fixture.temporaryDirectory("event-filters")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Self.fill(log)
        let server = try await TestAPIServer(log: log)
        defer { server.stop() }
        let base = server.base  // .../v1/events

        // seq = i + 1. Types: alert is i % 4 == 3.
        let alerts = try await fetch(base + "?type=alert")
        #expect(alerts.status == 200 && seqs(alerts) == [4, 8, 12, 16, 20, 24, 28, 32, 36, 40])
        #expect(alerts.headers["tagway-last-seq"] == "40")
        #expect(seqs(try await fetch(base + "?type=arrived,passed&limit=3")) == [1, 3, 5])
        // Zone: to lab (odd i), or from it-storage (moves, i % 4 == 1: odd too); it-storage only as from.
        #expect(seqs(try await fetch(base + "?zone=it-storage")) == [2, 6, 10, 14, 18, 22, 26, 30, 34, 38])
        #expect(seqs(try await fetch(base + "?zone=dock-3&limit=4")) == [1, 3, 5, 7])
        let asset = try await fetch(base + "?asset=urn:x:k2&after=20")
        #expect(seqs(asset) == [23, 27, 31, 35, 39] && asset.headers["tagway-last-seq"] == "39")
        // Since the 30th second, as ISO, with an offset, and as epoch ms: seqs 31...40.
        for since in ["2025-11-24T16:00:30Z", "2025-11-24T17:00:30.000%2B01:00", "1764000030000"] {
            #expect(seqs(try await fetch(base + "?since=" + since)) == Array(31...40), "\(since)")
        }
        #expect(seqs(try await fetch(base + "?since=1764000030000&type=alert&zone=lab&asset=urn:x:k3")) == [32, 36, 40])
        // Nothing since: an empty page with no last seq.
        let none = try await fetch(base + "?since=2030-01-01T00:00:00Z")
        #expect(none.body == "[]" && none.headers["tagway-last-seq"] == nil)
        // A large page of a sparse filter is still bounded by its limit, in pages of the log.
        #expect(seqs(try await fetch(base + "?type=moved&limit=2&after=10")) == [14, 18])

        for (query, parameter) in [("?type=arrivd", "type"), ("?type=", "type"), ("?type=arrived,,moved", "type"),
                                   ("?zone=", "zone"), ("?asset=", "asset"), ("?asset=" + String(repeating: "k", count: 1025), "asset"),
                                   ("?since=yesterday", "since"), ("?since=2026-13-01T00:00:00Z", "since"), ("?since=-5", "since"),
                                   ("?since=99999999999999999999", "since"), ("?since=2026-12-02T06:00:00%2B25:00", "since")] {
            let refused = try await fetch(base + query)
            #expect(refused.status == 400 && refused.object?["detail"] as? String == parameter, "\(query): \(refused.body)")
        }
    }
}
