import AsyncHTTPClient
import Foundation
import Testing
import TagwayAPI
@testable import TagwayEventLog
import TagwayModel
import TagwayTestSupport

/// The pull API under clients it does not control (issue 10): SSE streams are limited in number
/// (503 with Retry-After past the limit), and reads of the log never hold the shared concurrency
/// threads, so neither a crowd of streams catching up nor a slow log starves the pipeline's
/// appends or another client.
@Suite(.serialized) struct PullAPIHostileClientTests {
    @Test func streamsPastTheLimitGet503WithRetryAfterAndAFreedSlotIsReused() async throws {
        let dir = Fixture.temporaryDirectory("api-limit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 100)
        let server = try await TestAPIServer(log: log, maxStreams: 3)
        defer { server.stop() }
        let client = wideClient

        let streams = (0..<3).map { _ in SSEClient(url: server.base + "/stream?after=0", client: client) }
        #expect(await eventually { streams.allSatisfy { $0.lastID == 100 } })
        for _ in 0..<3 {
            let refused = try await fetch(server.base + "/stream?after=0", client: client)
            #expect(refused.status == 503)
            #expect(refused.headers["retry-after"] == "5")
            #expect(refused.headers["content-type"] == "application/json")
            #expect((refused.object?["error"] as? String)?.contains("too many event streams open (limit 3)") == true, "\(refused.body)")
        }
        #expect(server.server.api.openStreams == 3)

        // A client that goes frees its slot once its stream notices (at the next event it writes).
        streams[0].cancel()
        var next = 1000
        let freed = try await eventually(attempts: 200) {
            try await Fixture.fill(log, count: 1, start: next)
            next += 1
            return server.server.api.openStreams < 3
        }
        #expect(freed)
        let again = SSEClient(url: server.base + "/stream?after=100", client: client)
        #expect(await eventually { again.status == 200 && again.lastID > 100 })
        again.cancel()
        streams.forEach { $0.cancel() }
    }

    /// Past `maxConnections` open connections the API stops accepting (the excess waits in the
    /// listen backlog, holding no descriptor of the gateway's), logs it once, and serves again
    /// when they close.
    @Test func connectionsPastTheLimitWaitAndTheEpisodeIsLogged() async throws {
        let dir = Fixture.temporaryDirectory("api-conns")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 3)
        let recorder = LogRecorder()
        let server = try await TestAPIServer(log: log, logger: recorder.logger(), maxConnections: 4)
        defer { server.stop() }
        var held = await GatewayAPIStartTests.connections(12, port: server.listener.port)
        defer { held.forEach { close($0) } }
        #expect(held.count == 12)
        #expect(await eventually { recorder.text.contains("pull API: refusing new connections: ") }, "\(recorder.text)")
        let refusals = recorder.text.components(separatedBy: "refusing new connections").count - 1
        #expect(refusals == 1, "one line per episode: \(recorder.text)")

        held.forEach { close($0) }
        held = []
        let page = try await fetch(server.base + "?after=0")
        #expect(page.status == 200)
        #expect(recorder.text.contains("pull API: accepting connections again"), "\(recorder.text)")
    }

    /// Every reader connection of the log is held by the test, so every API read has to wait:
    /// more waiting requests than there are concurrency threads. An append (the pipeline's write
    /// path) must still complete while they wait; when API reads blocked those threads, nothing
    /// else in the process ran until the log answered.
    @Test func apiReadsWaitingOnTheLogDoNotHoldTheSharedThreads() async throws {
        let dir = Fixture.temporaryDirectory("api-threads")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 50)
        let waiting = ProcessInfo.processInfo.activeProcessorCount + 2
        let server = try await TestAPIServer(log: log, maxStreams: waiting)
        defer { server.stop() }
        let client = wideClient

        let readers = log.pool.configuration.maximumReaderCount
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        for _ in 0..<readers {
            Thread {
                _ = try? log.pool.read { _ in
                    holding.signal()
                    release.wait()
                }
            }.start()
        }
        for _ in 0..<readers { await Task.detached { holding.wait() }.value }

        // A watchdog on a thread of its own gives the readers back after a bound, so the test
        // ends either way (blocked threads would stall the test itself too); what it checks is
        // whether the append finished first.
        let appended = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Thread {
            if appended.wait(timeout: .now() + 30) == .timedOut { outcome.timedOut = true }
            for _ in 0..<readers { release.signal() }
        }.start()
        // Each stream writes its `retry:` line, then waits for its first page of the log.
        let streams = (0..<waiting).map { _ in SSEClient(url: server.base + "/stream?after=0", client: client) }
        #expect(await eventually { streams.allSatisfy { $0.frameCount >= 1 } })
        let page = Task { try await fetch(server.base + "?after=10&limit=10", client: client) }

        let stored = try await log.append([Fixture.event(5000)])
        appended.signal()
        #expect(!outcome.timedOut, "the append waited for the API's reads")
        #expect(stored.first?.seq == 51)

        let answer = try await page.value
        #expect(answer.status == 200)
        #expect((try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]])?.map { $0["seq"] as? Int } == Array(11...20))
        #expect(await eventually { streams.allSatisfy { $0.lastID == 51 } }, "\(streams.map(\.lastID))")
        streams.forEach { $0.cancel() }
    }

    /// `maxStreams` clients catch up from seq 0 over a large log, reading as fast as they can: a
    /// plain page request and an append complete while they are still catching up, because each
    /// stream reads one bounded page at a time and takes turns.
    @Test func aPageAndAnAppendCompleteWhileStreamsCatchUp() async throws {
        let dir = Fixture.temporaryDirectory("api-catchup")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let total = 12_000
        try await Fixture.fill(log, count: total)
        let server = try await TestAPIServer(log: log, maxStreams: 8)
        defer { server.stop() }
        let client = wideClient

        let streams = (0..<8).map { _ in SSEClient(url: server.base + "/stream?after=0", client: client) }
        #expect(await eventually { streams.allSatisfy { $0.lastID > 0 } })
        let answer = try await fetch(server.base + "?after=\(total - 10)&limit=10", client: client)
        let stored = try await log.append([Fixture.event(total + 1)])
        let behind = streams.filter { $0.lastID < Int64(total) }.count
        #expect(answer.status == 200)
        #expect(stored.first?.seq == Int64(total + 1))
        #expect(behind > 0, "every stream had caught up before the page and the append were served")
        #expect(await eventually(attempts: 2400) { streams.allSatisfy { $0.lastID == Int64(total + 1) } },
                "\(streams.map(\.lastID))")
        streams.forEach { $0.cancel() }
    }
}

private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var timedOut: Bool {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
