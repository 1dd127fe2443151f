import Foundation
import HTTPReceiverSupport
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwaySimulator

/// systemd's stop (SIGTERM) while a webhook batch is in flight: the batch is let finish (within
/// `gateway.stopTimeout`), its cursor stored, and `tagway run` exits 0, so the next start does
/// not deliver it again.
@Suite(.serialized) struct GracefulStopDeliveryTests {
    @Test func anInFlightBatchFinishesBeforeTheStop() async throws {
        let dir = Fixture.temporaryDirectory("graceful-stop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The store holds each request 1.5 s before answering 200 (a slow ITAM endpoint).
        // (`delay` sleeps as a task: a blocking sleep here would hold a concurrency thread.)
        let store = RecordingServer(delay: .milliseconds(1500)) { _, _ in .init(status: 200) }
        try await store.start()
        defer { store.stop() }
        let port = dir + "/scanner"
        let emulator = try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:])
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: try Scenario.parse("0.2 scan ]C0ASSET-1\n"))
        reader.start()
        defer { reader.stop() }
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: stop, dataDir: "\(dir)", devicesDir: "\(SinkConfigTests.devices)", stopTimeout: 10s }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(port)", readPoint: helpdesk }
            sinks:
              - id: itam
                webhook: { url: "http://127.0.0.1:\(store.port)/hook", timeout: 20s }
                batch: { maxEvents: 10, linger: 0s }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try GatewayRunner(["run", "--config", config, "--log-level", "debug"], errorFile: dir + "/stderr.log")
        // The request has reached the store, which has not answered yet: stop now.
        #expect(await eventually { !store.requests.isEmpty }, "\(gateway.errors)")
        gateway.stop()
        #expect(gateway.process.terminationStatus == 0, "\(gateway.errors)")
        let log = try EventLog.openExisting(directory: dir)
        let last = try log.lastSeq()
        #expect(last == 1)
        #expect(try log.cursor(sink: "itam") == last, "the in-flight batch was cut off:\n\(gateway.errors)")
        #expect(store.requests.count == 1)
    }
}
