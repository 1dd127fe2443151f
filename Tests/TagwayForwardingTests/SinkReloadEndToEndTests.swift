import Foundation
import Testing
import TagwayEventLog

/// SIGHUP to a running `tagway run` (issue 12): sinks, the log level and settings that need a
/// restart, through the real reload path against real HTTP stores on 127.0.0.1.
@Suite(.serialized) struct SinkReloadEndToEndTests {
    func config(_ dir: String, sinks: [(id: String, store: ScriptedStore)], extra: String = "") -> String {
        """
        gateway: { id: reload, dataDir: "\(dir)", devicesDir: "\(SinkConfigTests.devices)" }
        readers:
          - { id: desk, profile: generic/serial-barcode, port: "\(dir)/none", readPoint: helpdesk }
        sinks:
        \(sinks.map { "  - { id: \($0.id), webhook: { url: \"\($0.store.url)\" }, batch: { maxEvents: 10, linger: 10ms } }" }.joined(separator: "\n"))
        \(extra)
        """
    }

    @Test func sighupSwapsSinksAndTheLogLevelAndNamesWhatNeedsARestart() async throws {
        let dir = Fixture.temporaryDirectory("sink-reload")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let events = try await {
            let log = try EventLog(directory: dir, durability: .normal)
            return try await Fixture.fill(log, count: 40)
        }()
        let (itam, bus) = (ScriptedStore(), ScriptedStore())
        for store in [itam, bus] { try await store.start() }
        defer { for store in [itam, bus] { store.stop() } }
        let file = dir + "/gateway.yaml"
        try config(dir, sinks: [("itam", itam)]).write(toFile: file, atomically: true, encoding: .utf8)
        let gateway = try GatewayRunner(["run", "--config", file], errorFile: dir + "/stderr.log")
        defer { gateway.stop() }
        #expect(await eventually { itam.storedIDs.count == events.count }, "\(gateway.errors)")
        #expect(!gateway.errors.contains("delivered seq"), "info level: no debug lines yet")

        try config(dir, sinks: [("bus", bus)], extra: "logging: { level: debug }\ndebounce: { departAfter: 20s }")
            .write(toFile: file, atomically: true, encoding: .utf8)
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await eventually { bus.storedIDs == events.map(\.id) }, "\(gateway.errors)")
        #expect(await eventually { gateway.errors.contains("configuration reloaded (") }, "\(gateway.errors)")
        let reloaded = gateway.errors
        #expect(reloaded.contains("sinks added bus; removed itam"), "\(reloaded)")
        #expect(reloaded.contains("log level debug"), "\(reloaded)")
        #expect(reloaded.contains("debounce changed; these take effect on the next start"), "\(reloaded)")
        #expect(reloaded.contains("sink bus: delivered seq"), "debug lines after the reload:\n\(reloaded)")
        #expect(itam.storedIDs == events.map(\.id), "the removed sink got each event once and nothing after")
        #expect(gateway.process.isRunning)

        // A sink whose secret is missing fails the sinks step only: the running sinks are kept.
        let failing = config(dir, sinks: [("bus", bus)], extra: "logging: { level: debug }\ndebounce: { departAfter: 20s }")
            .replacingOccurrences(of: "sinks:\n", with: "sinks:\n  - { id: bad, webhook: { url: \"http://127.0.0.1:9/hook\", secret: \"env:TAGWAY_TEST_UNSET_SECRET\" } }\n")
        try failing.write(toFile: file, atomically: true, encoding: .utf8)
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await eventually { gateway.errors.contains("sinks and retention not reloaded, the running ones are kept: sink bad: env:TAGWAY_TEST_UNSET_SECRET") },
                "\(gateway.errors)")
        let more = try await {
            let log = try EventLog(directory: dir, durability: .normal)
            return try await Fixture.fill(log, count: 5, start: 500)
        }()
        #expect(await eventually { bus.storedIDs == (events + more).map(\.id) }, "\(gateway.errors)")
        gateway.stop()
        let log = try EventLog(directory: dir, durability: .normal)
        #expect(try log.cursors()["itam"] == events.last?.seq, "the removed sink's cursor is kept")
    }
}
