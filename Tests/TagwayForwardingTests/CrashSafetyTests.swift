import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator

/// `kill -9` of the real `tagway run` during bursts, several times: after each restart every
/// sink resumes from its cursor, and in the end the store has every logged event exactly once
/// by id, in seq order.
@Suite(.serialized) struct CrashSafetyTests {
    static let devices: String = SinkConfigTests.devices

    @Test func sigkillDuringBurstsLosesNothing() async throws {
        let dir = Fixture.temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let secret = "crash-secret"
        // A store that takes 15 ms per batch, so bursts build a backlog and kills land mid-request.
        let store = ScriptedStore(secret: Array(secret.utf8), latency: .milliseconds(15))
        try await store.start()
        defer { store.stop() }

        // A barcode scanner on a pty scans a new code every 20 ms: the gateway logs its own
        // stream of events while the test adds bursts to the same log.
        let port = dir + "/scanner"
        let emulator = try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:])
        let script = (0..<50).map { String(format: "%.2f scan ]C0ASSET-%04d", 0.02 * Double($0 + 1), $0) }.joined(separator: "\n")
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: try Scenario.parse(script + "\n1.1 end\n"), loop: true)
        reader.start()
        defer { reader.stop() }
        let config = dir + "/gateway.yaml"
        let apiPort = Fixture.freePort()
        try """
            gateway: { id: crash, dataDir: "\(dir)", devicesDir: "\(Self.devices)", durability: full }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(port)", readPoint: helpdesk }
            sinks:
              - id: itam
                webhook: { url: "\(store.url)", secret: "env:TAGWAY_TEST_SECRET", timeout: 2s }
                batch: { maxEvents: 40, linger: 10ms }
                retry: { initial: 20ms, max: 500ms }
            # The sample events are dated 2025; keep them, delivered or not, for the comparison.
            retention: { maxAge: 100000h }
            api: { listen: "127.0.0.1:\(apiPort)" }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let errors = dir + "/stderr.log"
        let environment = ["TAGWAY_TEST_SECRET": secret]
        func startGateway() throws -> GatewayRunner {
            try GatewayRunner(["run", "--config", config, "--log-level", "info"], environment: environment, errorFile: errors)
        }

        var appended: [MovementEvent] = []
        var killedWithBacklog = 0
        var next = 10_000
        for round in 0..<4 {
            let gateway = try startGateway()
            let before = store.storedIDs.count
            // Wait until the gateway delivers again after the restart (bounded).
            _ = await eventually(attempts: 400) { store.storedIDs.count > before }
            // A burst from a second writer while the gateway is delivering.
            let log = try EventLog(directory: dir, durability: .full)
            for _ in 0..<5 {
                appended += try await Fixture.fill(log, count: 60, start: next)
                next += 60
            }
            try await Task.sleep(for: .milliseconds(UInt64(5 + round * 10)))
            let backlog = try log.lastSeq() - log.cursor(sink: "itam")
            gateway.kill9()
            if backlog > 0 { killedWithBacklog += 1 }
        }

        reader.stop()
        let gateway = try startGateway()
        let log = try EventLog(directory: dir, durability: .full)
        let caughtUp = try await eventually(attempts: 1200) { try log.cursor(sink: "itam") == log.lastSeq() }
        // The status file is rewritten every 2 s; wait for one written after the catch-up.
        var status = ""
        let statusShowsIt = await eventually(attempts: 200) {
            status = (try? GatewayRunner.output(["status", "--data-dir", dir, "--json"])) ?? ""
            return status.contains("\"id\":\"itam\"") && status.contains("\"backlog\":0")
        }
        #expect(gateway.errors.contains("sink itam (webhook): "), "the sink's status is in the logs")
        // The pull API of the restarted gateway serves the same log.
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(apiPort)/v1/events?after=0&limit=10000"), timeout: .seconds(10))
        let page = try await response.body.collect(upTo: 64 << 20)
        let pulled = (try JSONSerialization.jsonObject(with: Data(String(buffer: page).utf8)) as? [[String: Any]]) ?? []
        gateway.stop()

        #expect(killedWithBacklog >= 1, "at least one kill landed while events were undelivered")
        #expect(caughtUp, "\(gateway.errors.suffix(3000))")
        let logged = try log.events(after: 0, limit: 1_000_000)
        let loggedIDs = Set(logged.map(\.id))
        #expect(appended.allSatisfy { loggedIDs.contains($0.id) }, "every committed event survived the kills")
        #expect(logged.contains { $0.reader == "desk" }, "the gateway logged its own events too")
        let stored = store.storedIDs
        #expect(stored == logged.map(\.id), "exactly once by id, in log order: \(firstDifference(stored, logged.map(\.id)))")
        #expect(store.storedSeqs == logged.compactMap(\.seq), "in seq order")
        #expect(logged.count == appended.count + logged.filter { $0.reader == "desk" }.count)
        #expect(store.signatureFailures == 0)
        #expect(statusShowsIt, "\(status)")
        let text = try GatewayRunner.output(["status", "--data-dir", dir])
        #expect(text.contains("sink itam (webhook)") && text.contains("backlog 0"), "\(text)")
        #expect(pulled.compactMap { $0["id"] as? String } == logged.map(\.id), "pull API")
    }
}
