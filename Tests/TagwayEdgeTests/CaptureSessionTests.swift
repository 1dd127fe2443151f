import Foundation
import Testing
import TagwayConfig
import TagwayEmulators
import TagwayDebounce
import TagwayEventLog
import TagwayModel
import TagwayRuntime
import TagwaySimulator
import TagwayTestSupport
@testable import TagwayGateway

/// A serial session recording to a disk that stalls: every scan still reaches the pipeline,
/// while the capture drops records, counts them in the reader's status and says so once.
@Suite struct CaptureSessionTests {
    @Test func aStalledCaptureDiskCostsRecordsNeverReads() async throws {
        let dir = TestPaths.temporaryDirectory("capture-session")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/scanner"
        let scans = 30
        let scenario = Scenario(steps: (0..<scans).map { n in
            Scenario.Step(at: .milliseconds(200 + 20 * n), action: .scan(BarcodeScan(data: Array("ASSET-\(n)".utf8))))
        })
        let simulated = try SimulatedReader(path: port, emulator: try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:]),
                                            scenario: scenario)
        defer { simulated.stop() }
        let config = try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: "\(dir)/data" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(port)", readPoint: helpdesk }
            """, file: dir + "/gw.yaml", devicesDir: TestPaths.repositoryDevices)
        let reader = try #require(config.readers.first)
        let log = try EventLog(directory: dir + "/data")
        let captured = CapturedLog()
        let health = HealthBoard()
        let pipeline = Pipeline(gatewayID: "gw", readPoints: [(point: "helpdesk", reader: "desk")], debounce: config.debounce, log: log,
                                holding: HoldingPolicy(), health: health, writeHealth: LogWriteHealth(), logger: captured.logger,
                                clock: SystemClock.now)
        // The disk holds the writer's first append until released; 256 bytes of backlog is a few records.
        let files = ScriptedCaptureFiles(failing: false, holding: true)
        let recorder = CaptureRecorder(header: CaptureRecorders.header(reader), files: files, limits: .init(maxFileBytes: 1 << 20, maxFiles: 2),
                                       maxBufferBytes: 256, logger: captured.logger,
                                       onDrops: { total in health.update("desk") { $0.captureDropped = total } })
        var session = SerialReaderSession(reader: reader, pipeline: pipeline, health: health, logger: captured.logger, clock: SystemClock.now)
        session.capture = recorder
        let running = Task { await session.run() }
        #expect(await eventually { health.snapshot.first?.connected == true })
        simulated.start()
        #expect(await eventually { (health.snapshot.first?.frames ?? 0) == scans })
        #expect(files.entered == 1)
        let status = try #require(health.snapshot.first)
        #expect(status.frames == scans)
        #expect((status.captureDropped ?? 0) >= 1, "\(status)")
        #expect(recorder.statistics.written == 0)
        #expect(captured.lines(atLeast: .warning).filter { $0.contains("capture is behind") }.count == 1)
        files.release()
        running.cancel()
        await running.value
        await recorder.stop()
        #expect(recorder.statistics.written >= 1)
        #expect(await pipeline.shutdown() == 0)
        #expect(try log.events(after: 0, limit: 100).count == scans)
    }
}
