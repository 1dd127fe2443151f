import Foundation
import HTTPReceiverSupport
import Logging
import Synchronization
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks

/// Issue 18: the Snipe-IT sink against a store that enforces an API limit of 60 requests a
/// minute, as Snipe-IT's throttle does (429 past the limit). The sink paces itself on a virtual
/// clock the store also reads, so the store judges exactly the spacing the sink chose, and the
/// test runs in a second instead of the 3.5 minutes 200 audits take at that pace.
@Suite(.serialized) struct SnipeITAtScaleTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// A store counting requests in every closed 60 s window of the virtual clock.
    final class ThrottledStore: Sendable {
        let clock: VirtualClock
        let limit: Int
        private let arrivals = Mutex<[Int64]>([])
        private let answers = Mutex<[Int]>([])

        init(clock: VirtualClock, limit: Int) {
            self.clock = clock
            self.limit = limit
        }

        func answer(_ request: RecordingServer.Request, unknown: Set<String>) -> RecordingServer.Answer {
            let now = clock.milliseconds
            let allowed = arrivals.withLock { times -> Bool in
                times.append(now)
                return times.filter { $0 >= now - 60_000 }.count <= limit
            }
            guard allowed else {
                answers.withLock { $0.append(429) }
                return .init(status: 429, body: #"{"status":"error","messages":"Too Many Requests"}"#, retryAfter: "60")
            }
            answers.withLock { $0.append(200) }
            let object = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any]
            if let tag = object?["asset_tag"] as? String, unknown.contains(tag) {
                return .init(status: 200, body: #"{"status":"error","messages":"Asset with tag \#(tag) not found","payload":null}"#)
            }
            return .init(status: 200, body: #"{"status":"success","messages":"Asset audited successfully."}"#)
        }

        var statuses: [Int] { answers.withLock { $0 } }
        var times: [Int64] { arrivals.withLock { $0 } }
    }

    @Test func aPalletOf200LaptopsIsAuditedAt60AMinuteWithNo429AndNeverAnEmptyLocation() async throws {
        let dir = Fixture.temporaryDirectory("snipeit-scale")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        // 200 laptops arrive at dock-3 (mapped), 20 more at a zone with no location, 10 depart.
        _ = try await log.append((0..<200).map { Fixture.event($0, to: "dock-3") })
        _ = try await log.append((200..<220).map { Fixture.event($0, to: "quarantine") })
        _ = try await log.append((0..<10).map { Fixture.event($0, type: .departed, to: nil, from: "dock-3") })
        let clock = VirtualClock()
        let store = ThrottledStore(clock: clock, limit: 60)
        let server = RecordingServer { request, _ in store.answer(request, unknown: ["TAG-7", "TAG-150"]) }
        try await server.start()
        defer { server.stop() }
        let timers = GatewayClock(wall: wallClock, monotonic: clock)
        let recorded = Mutex<[MovementEvent]>([])
        let sink = try SnipeITSink(id: "snipe", baseURL: "http://127.0.0.1:\(server.port)", token: "api-token",
                                   locations: ["dock-3": 12], requestsPerMinute: 60, timeout: .seconds(60), clock: wallClock,
                                   timers: timers, onUnknown: { event, message in
                                       recorded.withLock { $0.append(UnknownAssetEvent.make(from: event, sink: "snipe", message: message,
                                                                                            id: event.id + "-u", time: event.time)) }
                                   })
        let board = SinkStatusBoard()
        let policy = DeliveryPolicy(maxEvents: 100, linger: .milliseconds(10), retryInitial: .seconds(1), retryMax: .seconds(60))
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                                      logger: logger, clock: timers)
        let running = Task { await forwarder.run() }
        let done = try await eventually(attempts: 2_400) { try log.cursor(sink: "snipe") == 230 }
        running.cancel()
        await running.value
        #expect(done, "\(board.snapshotJSON)")

        #expect(store.statuses.count == 200, "one audit per laptop, none for the unmapped zone or the departures")
        #expect(!store.statuses.contains(429), "the pacing kept under the store's limit")
        let bodies = server.requests.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }
        #expect(bodies.count == 200)
        #expect(bodies.allSatisfy { ($0["location_id"] as? Int) == 12 && ($0["update_location"] as? Bool) == true })
        #expect(Set(bodies.compactMap { $0["asset_tag"] as? String }) == Set((0..<200).map { "TAG-\($0)" }))
        let times = store.times
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 >= 1_000 }, "evenly spaced on the store's clock")
        #expect((times.last ?? 0) >= 199 * 1_000, "200 audits at 60 a minute take over 3 minutes of the store's time")

        let findings = sink.findings
        #expect(findings.unknown.map(\.tag) == ["TAG-7", "TAG-150"])
        #expect(findings.unknownAudits == 2)
        #expect(findings.unmappedZones == ["quarantine": 20])
        #expect(findings.pacing.requests == 200)
        #expect(recorded.withLock { $0.map(\.asset.raw) } == ["TAG-7", "TAG-150"])
        #expect(recorded.withLock { $0.allSatisfy { $0.type == .unknown && $0.to == "dock-3" } })
        let json = try #require(board.snapshotJSON.first)
        let status = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let details = try #require(status["details"] as? [String: Any], "\(json)")
        #expect((details["unknownAssets"] as? [[String: Any]])?.compactMap { $0["assetTag"] as? String } == ["TAG-150", "TAG-7"])
        #expect((details["unmappedZones"] as? [String: Any])?["quarantine"] as? Int == 20)
        #expect((details["pacing"] as? [String: Any])?["requestsPerMinute"] as? Int == 60)
    }

    /// A store whose limit is lower than the configured pace answers 429 with Retry-After: the
    /// sink waits as told, and the retried batch resumes after the last audit accepted.
    @Test func a429HoldsEveryRequestAndTheRetriedBatchResumesAfterTheLastAccepted() async throws {
        let dir = Fixture.temporaryDirectory("snipeit-429")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        _ = try await log.append((0..<30).map { Fixture.event($0, to: "dock-3") })
        let clock = VirtualClock()
        let store = ThrottledStore(clock: clock, limit: 20)
        let server = RecordingServer { request, _ in store.answer(request, unknown: []) }
        try await server.start()
        defer { server.stop() }
        let timers = GatewayClock(wall: wallClock, monotonic: clock)
        let sink = try SnipeITSink(id: "snipe", baseURL: "http://127.0.0.1:\(server.port)", token: "t", locations: ["dock-3": 4],
                                   requestsPerMinute: 120, timeout: .seconds(60), clock: wallClock, timers: timers)
        let policy = DeliveryPolicy(maxEvents: 100, linger: .milliseconds(10), retryInitial: .seconds(1), retryMax: .seconds(60))
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), logger: logger,
                                      clock: timers)
        let running = Task { await forwarder.run() }
        let done = try await eventually(attempts: 2_400) { try log.cursor(sink: "snipe") == 30 }
        running.cancel()
        await running.value
        #expect(done)
        let statuses = store.statuses
        #expect(statuses.filter { $0 == 429 }.count == 1, "\(statuses): one 429, then the sink waited as told")
        let tags = server.requests.compactMap { request -> String? in
            (try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])?["asset_tag"] as? String
        }
        #expect(tags == (0...20).map { "TAG-\($0)" } + (20..<30).map { "TAG-\($0)" },
                "TAG-20 was refused once and sent again; nothing accepted was sent twice")
        let times = store.times
        #expect(times[21] - times[20] >= 60_000, "the retry came after Retry-After")
    }
}
