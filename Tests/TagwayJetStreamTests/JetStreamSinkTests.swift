import Foundation
import Synchronization
import MetricsTestKit
import NATSServerSupport
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The JetStream sink against one real nats-server (-js): events read back from the stream
/// with their subjects and ids, a redelivery counted as duplicates, a server that comes up late.
/// A class suite: deinit kills the servers its test started, whether the test passed or not.
@Suite(.serialized, .enabled(if: NATSServer.available, "nats-server is not installed (.ci/install-deps installs it)"))
final class JetStreamSinkTests {
    var servers: [NATSServer] = []
    let directory = NSTemporaryDirectory() + "tagway-jetstream-\(UUID().uuidString.prefix(8))"

    deinit {
        servers.forEach { $0.kill() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    func server() throws -> NATSServer {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = NATSServer(directory: directory)
        servers.append(server)
        return server
    }

    func mixedEvents(_ log: EventLog, count: Int, start: Int = 0) async throws -> [MovementEvent] {
        try await log.append((start..<(start + count)).map { i in
            JetStreamFixture.event(i, type: i % 3 == 0 ? .departed : .arrived)
        })
    }

    @Test func everyEventIsInTheStreamOnItsSubjectWithItsID() async throws {
        let server = try server()
        try server.start()
        let log = try EventLog(directory: directory, durability: .normal)
        let events = try await mixedEvents(log, count: 300)
        var options = JetStreamFixture.options([server.url])
        options.logID = log.identity
        let sink = JetStreamSink(id: "js", options: options)
        let board = SinkStatusBoard()
        let forwarder = try JetStreamFixture.forwarder(log, sink: sink, board: board)
        let running = Task { await forwarder.run() }
        let delivered = try await eventually { try log.cursor(sink: "js") == events.last?.seq }
        running.cancel()
        await running.value
        await sink.shutdown()
        #expect(delivered, "\(board.snapshot.map(\.json))")

        let messages = try StreamReader(servers: [server.url]).messages("TAGWAY")
        #expect(messages.map(\.msgID) == events.map(\.id), "\(streamDifference(messages.map(\.msgID), events))")
        for (message, event) in zip(messages, events) {
            #expect(message.subject == "tagway.hq.gw-1.\(event.type.rawValue)")
            #expect(message.payload == event.json)
            #expect(message.logID == log.identity, "Tagway-Log-Id: the log the event came from")
        }
    }

    @Test func aRedeliveredBatchIsStoredOnceAndCountedAsDuplicates() async throws {
        let server = try server()
        try server.start()
        let metrics = TestMetrics()
        // A PubAck timeout well above the parallel suite's stalls: every delivery here must succeed
        // (a CI run's first one, connect and stream creation included, took longer than 2 s).
        let sink = JetStreamSink(id: "js", options: JetStreamFixture.options([server.url], ackTimeout: .seconds(10)), metrics: metrics)
        let changes = Mutex(0)
        sink.onDetailsChange { changes.withLock { $0 += 1 } }
        let events = (0..<50).map { JetStreamFixture.event($0) }
        #expect(await sink.deliver(events) == .delivered)
        // As after a crash between the PubAcks and the cursor's write: the same batch again.
        #expect(await sink.deliver(events) == .delivered)
        #expect(await sink.deliver(Array(events[40...]) + [JetStreamFixture.event(50)]) == .delivered)
        let details = sink.detailsJSON
        await sink.shutdown()
        #expect(details.contains("\"duplicates\":60") && details.contains("\"connected\":true") && details.contains("\"stream\":\"TAGWAY\""),
                "\(details)")
        #expect(changes.withLock { $0 } >= 2, "status is told of the connection and of the duplicates")
        #expect(try metrics.expectCounter("tagway_jetstream_duplicates_total", [("sink", "js")]).totalValue == 60)
        let messages = try StreamReader(servers: [server.url]).messages("TAGWAY")
        #expect(messages.count == 51)
        #expect(Set(messages.compactMap(\.msgID)).count == 51)
    }

    @Test func aServerDownAtStartLosesNothing() async throws {
        let server = try server()
        let log = try EventLog(directory: directory, durability: .normal)
        var events = try await mixedEvents(log, count: 120)
        let sink = JetStreamSink(id: "js", options: JetStreamFixture.options([server.url], ackTimeout: .milliseconds(500)))
        let board = SinkStatusBoard()
        let forwarder = try JetStreamFixture.forwarder(log, sink: sink, board: board, maxEvents: 50)
        let running = Task { await forwarder.run() }
        let retrying = await eventually { board.snapshot.first?.retried ?? 0 >= 2 }
        #expect(retrying, "\(board.snapshot.map(\.json))")
        #expect(try log.cursor(sink: "js") == 0, "no PubAck, no delivery")
        events += try await mixedEvents(log, count: 80, start: 1_000)

        try server.start()
        try await expectAllDelivered(events, log: log, running: running, sink: sink, board: board, server: server)
    }

    /// Waits for the sink's cursor to reach the last event, stops the outbox and the sink, and
    /// checks that the stream holds exactly `events`, once each and in log order.
    func expectAllDelivered(_ events: [MovementEvent], log: EventLog, running: Task<Void, Never>, sink: JetStreamSink,
                            board: SinkStatusBoard, server: NATSServer) async throws {
        let delivered = try await eventually(attempts: 1_200) { try log.cursor(sink: "js") == events.last?.seq }
        running.cancel()
        await running.value
        await sink.shutdown()
        #expect(delivered, "\(board.snapshot.map(\.json))")
        let messages = try StreamReader(servers: [server.url]).messages("TAGWAY")
        #expect(messages.map(\.msgID) == events.map(\.id), "\(streamDifference(messages.map(\.msgID), events))")
    }

    @Test func aServerRestartMidStreamLosesNothing() async throws {
        let server = try server()
        try server.start()
        let log = try EventLog(directory: directory, durability: .normal)
        var events = try await mixedEvents(log, count: 100)
        let sink = JetStreamSink(id: "js", options: JetStreamFixture.options([server.url], ackTimeout: .seconds(1)))
        let board = SinkStatusBoard()
        let forwarder = try JetStreamFixture.forwarder(log, sink: sink, board: board, maxEvents: 20)
        let running = Task { await forwarder.run() }
        #expect(try await eventually { try log.cursor(sink: "js") == events.last?.seq })

        // Killed with events going out; back on the same port and store: libnats reconnects.
        events += try await mixedEvents(log, count: 100, start: 1_000)
        server.kill()
        events += try await mixedEvents(log, count: 100, start: 2_000)
        let retrying = await eventually { board.snapshot.first?.retried ?? 0 >= 1 }
        #expect(retrying, "\(board.snapshot.map(\.json))")
        try server.start()
        try await expectAllDelivered(events, log: log, running: running, sink: sink, board: board, server: server)
    }

    @Test func aStreamThatCannotTakeTheSubjectsStopsTheSink() async throws {
        let server = try server()
        try server.start()
        var options = JetStreamFixture.options([server.url])
        // Made first with other subjects (another tool's stream under the same name).
        options.stream.subjects = ["elsewhere.>"]
        options.subject = "elsewhere.{gateway}"
        let other = JetStreamSink(id: "other", options: options)
        #expect(await other.deliver([JetStreamFixture.event(0)]) == .delivered)
        await other.shutdown()
        let sink = JetStreamSink(id: "js", options: JetStreamFixture.options([server.url]))
        let outcome = await sink.deliver([JetStreamFixture.event(1)])
        await sink.shutdown()
        guard case .rejected(let reason) = outcome else {
            Issue.record("a stream without the sink's subjects gave \(outcome)")
            return
        }
        #expect(reason.contains("do not cover"))
    }

    @Test func aMissingStreamThatMayNotBeCreatedIsRetried() async throws {
        let server = try server()
        try server.start()
        var options = JetStreamFixture.options([server.url])
        options.stream.create = false
        let sink = JetStreamSink(id: "js", options: options)
        let outcome = await sink.deliver([JetStreamFixture.event(0)])
        await sink.shutdown()
        guard case .retry(let reason, _) = outcome else {
            Issue.record("a missing stream with create: false gave \(outcome)")
            return
        }
        #expect(reason.contains("does not exist"))
        #expect(try StreamReader(servers: [server.url]).info("TAGWAY") == nil, "not created")
    }
}
