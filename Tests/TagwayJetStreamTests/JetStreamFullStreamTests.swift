import Foundation
import NATSServerSupport
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// Issue 17 item 4, a stream that is full: limited to 50 messages with discard new, it refuses
/// the sink's 51st event. The sink must not move its cursor past what was stored, must say why
/// (the sink's last error, its retries counted), and must keep retrying the same events until
/// the stream takes them again; then the stream holds every event once, in log order.
@Suite(.serialized, .enabled(if: NATSServer.available, "nats-server is not installed (.ci/install-deps installs it)"))
final class JetStreamFullStreamTests {
    let directory = NSTemporaryDirectory() + "tagway-jetstream-full-\(UUID().uuidString.prefix(8))"
    let server: NATSServer

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        server = NATSServer(directory: directory)
        try server.start()
    }

    deinit {
        server.kill()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func aFullStreamHoldsTheCursorAndLosesNothingOnceItTakesEventsAgain() async throws {
        let admin = try StreamReader(servers: [server.url])
        let made = admin.limit("TAGWAY", subjects: ["tagway.>"], maxMessages: 50, update: false)
        #expect(made == nil, "\(made ?? "")")
        let log = try EventLog(directory: directory, durability: .normal)
        let events = try await log.append((0..<120).map { JetStreamFixture.event($0) })
        let sink = JetStreamSink(id: "js", options: JetStreamFixture.options([server.url], ackTimeout: .seconds(1)))
        let board = SinkStatusBoard()
        let forwarder = try JetStreamFixture.forwarder(log, sink: sink, board: board, maxEvents: 20)
        let running = Task { await forwarder.run() }

        // Full: the cursor stops where the stream stopped storing, the refusal is said and retried.
        let refused = await eventually(attempts: 600) { (board.snapshot.first?.retried ?? 0) >= 3 }
        let status = board.snapshot.first
        #expect(refused, "\(board.snapshot.map(\.json))")
        #expect(try log.cursor(sink: "js") <= 50)
        #expect(admin.info("TAGWAY")?.messages == 50)
        #expect(status?.lastError?.lowercased().contains("maximum messages") == true, "\(status?.lastError ?? "no error")")

        // Room again: the same events go, each once, in log order.
        let raised = admin.limit("TAGWAY", subjects: ["tagway.>"], maxMessages: -1, update: true)
        #expect(raised == nil, "\(raised ?? "")")
        let delivered = try await eventually(attempts: 1_200) { try log.cursor(sink: "js") == events.last?.seq }
        running.cancel()
        await running.value
        await sink.shutdown()
        #expect(delivered, "\(board.snapshot.map(\.json))")
        let messages = try admin.messages("TAGWAY")
        #expect(messages.map(\.msgID) == events.map(\.id), "\(streamDifference(messages.map(\.msgID), events))")
    }
}
