import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TagwayAPI
import TagwayEventLog
import TagwayModel

/// The listing and the event stream agree (issue 11 item 3), on a real socket while a writer
/// moves assets.
@Suite struct AssetListingConsistencyTests {
    /// Issue 11 item 3: a client that lists the assets (state as of seq N) and then follows the
    /// event stream from N ends with exactly the table the log holds: every event after N applies
    /// to the listing (an `arrived` of an asset not listed, a `moved` or `departed` from the zone
    /// listed), so none was missed or shown twice. Written while a writer moves assets, so the
    /// listing and its seq must come from one read. A listing of several pages, followed from
    /// its first page's seq, gives the same final table (events set state, they do not count).
    @Test func aListingThenTheStreamFromItsSeqGivesTheTable() async throws {
        let dir = Fixture.temporaryDirectory("assets-consistent")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let zoneIDs = ["dock", "door3", "helpdesk", "lab"]
        try await AssetAPITests.arrive(log, (0..<40).map { AssetAPITests.record($0, zone: zoneIDs[$0 % zoneIDs.count]) })
        let (listener, base) = try await AssetAPITests.serve(log)
        defer { listener.stop() }

        let listed = ListedFlag()
        let writer = Task {
            var zoneOf = Dictionary(uniqueKeysWithValues: (0..<40).map { ($0, zoneIDs[$0 % zoneIDs.count]) })
            var generator = SystemRandomNumberGenerator()
            // Writes go on until the client has listed, so the listing is read amid writes.
            var transactions = 0
            while transactions < 300 || !listed.value {
                transactions += 1
                var events: [MovementEvent] = []
                var changes = AssetStateChanges()
                // Distinct assets per transaction: one change set never names a tag twice.
                for n in Set((0..<Int.random(in: 1...3, using: &generator)).map { _ in Int.random(in: 0..<60, using: &generator) }) {
                    let key = AssetAPITests.record(n).asset.key
                    if let zone = zoneOf[n] {
                        if Bool.random(using: &generator) {
                            let to = zoneIDs.filter { $0 != zone }.randomElement(using: &generator)!
                            events.append(AssetAPITests.event(key, .moved, from: zone, to: to))
                            changes.upserts.append(AssetAPITests.record(n, zone: to))
                            zoneOf[n] = to
                        } else {
                            events.append(AssetAPITests.event(key, .departed, from: zone))
                            changes.removals.append(AssetAPITests.record(n).tag)
                            zoneOf[n] = nil
                        }
                    } else {
                        let to = zoneIDs.randomElement(using: &generator)!
                        events.append(AssetAPITests.event(key, .arrived, to: to))
                        changes.upserts.append(AssetAPITests.record(n, zone: to))
                        zoneOf[n] = to
                    }
                }
                _ = try await log.append(events, state: changes)
                await Task.yield()
            }
        }
        // Read while the writer runs (it has started once the seq moved).
        #expect(try await eventually { try log.lastSeq() > 60 })
        let listing = try await fetch(base + "/v1/assets?limit=1000")
        let seq = try #require(listing.headers["tagway-last-seq"].flatMap { Int64($0) })
        #expect(listing.object?["lastSeq"] as? Int == Int(seq))
        var paged: [String: String] = [:]
        var pagedSeq: Int64?
        var url = base + "/v1/assets?limit=7"
        while true {
            let page = try await fetch(url)
            pagedSeq = pagedSeq ?? page.headers["tagway-last-seq"].flatMap { Int64($0) }
            for asset in page.object?["assets"] as? [[String: Any]] ?? [] {
                paged[asset["key"] as? String ?? "?"] = asset["zone"] as? String
            }
            guard let next = page.object?["next"] as? String else { break }
            url = base + "/v1/assets?limit=7&after=" + next
        }
        listed.set()
        try await writer.value
        let final = try log.lastSeq()
        #expect(seq < final, "the listing was read while the writer ran")

        var table = Self.zones(of: listing)
        for event in try await Self.stream(base, after: seq, until: final) {
            let key = event.asset.key
            switch event.type {
            case .arrived:
                #expect(table[key] == nil, "seq \(event.seq ?? 0): arrived, but the listing already has \(key)")
                table[key] = event.to
            case .moved:
                #expect(table[key] == event.from, "seq \(event.seq ?? 0): moved from \(event.from ?? "?"), listed in \(table[key] ?? "none")")
                table[key] = event.to
            case .departed:
                #expect(table[key] == event.from, "seq \(event.seq ?? 0): departed from \(event.from ?? "?"), listed in \(table[key] ?? "none")")
                table[key] = nil
            default:
                Issue.record("unexpected \(event.type)")
            }
        }
        let now = Self.zones(of: try await fetch(base + "/v1/assets?limit=1000"))
        #expect(table == now)
        for event in try await Self.stream(base, after: try #require(pagedSeq), until: final) {
            paged[event.asset.key] = event.type == .departed ? nil : event.to
        }
        #expect(paged == now)
    }

    /// Key → zone of a `/v1/assets` response.
    static func zones(of response: TestResponse) -> [String: String] {
        var zones: [String: String] = [:]
        for asset in response.object?["assets"] as? [[String: Any]] ?? [] {
            zones[asset["key"] as? String ?? "?"] = asset["zone"] as? String
        }
        return zones
    }

    /// The events `/v1/events/stream` sends after `after`, read until the one with seq `until`.
    static func stream(_ base: String, after: Int64, until: Int64) async throws -> [MovementEvent] {
        guard after < until else { return [] }
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/v1/events/stream?after=\(after)"),
                                                           timeout: .seconds(60))
        var text = ""
        var events: [MovementEvent] = []
        for try await chunk in response.body {
            text += String(buffer: chunk)
            while let end = text.range(of: "\n\n") {
                let frame = text[..<end.lowerBound]
                text.removeSubrange(..<end.upperBound)
                guard let data = frame.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }),
                      let object = try JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any],
                      let seq = object["seq"] as? Int, let type = (object["type"] as? String).flatMap(EventType.init(rawValue:)),
                      let asset = object["asset"] as? [String: Any], let key = asset["key"] as? String
                else { continue }
                events.append(MovementEvent(id: object["id"] as? String ?? "", seq: Int64(seq), type: type,
                                            time: Timestamp(milliseconds: 0), gateway: "",
                                            asset: AssetRef(key: key, scheme: "", raw: ""),
                                            from: object["from"] as? String, to: object["to"] as? String))
                if seq >= until { return events }
            }
        }
        return events
    }
}

/// Set once by the test, read by its writer task.
final class ListedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    var value: Bool { lock.withLock { isSet } }
    func set() { lock.withLock { isSet = true } }
}
