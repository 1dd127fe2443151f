import Foundation
import Logging
import Synchronization
import Testing
import TagwayConfig
import TagwayControl
import TagwayGateway
import TagwayTestSupport

/// The reload of a real gateway (not started: nothing here needs its readers) from a real file:
/// what is applied, what is refused with the running configuration kept, what waits for a
/// restart, and the queue's coalescing of requests with the text already loaded.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ConfigReloaderTests {
    /// Log lines, so a test can see what the reloader decided without a clock or a sleep.
    final class LogLines: Sendable {
        let lines = Mutex<[String]>([])
        func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }
    }

    struct CapturingHandler: LogHandler {
        let sink: LogLines
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            sink.lines.withLock { $0.append("\(level): \(message)") }
        }
    }

    static func yaml(_ dir: String, zones: String, port: String = "bay1") -> String {
        """
        gateway: { id: reload, dataDir: "\(dir)/data", devicesDir: "\(TestPaths.repositoryDevices)" }
        readers:
          - { id: r1, profile: magicrf/m100, port: "\(dir)/\(port)", readPoint: bay-1 }
          - { id: r2, profile: magicrf/m100, port: "\(dir)/bay2", readPoint: bay-2 }
        zones:
        \(zones)
        """
    }

    struct Setup {
        let dir: String
        let file: String
        let reloader: ConfigReloader
        let lines: LogLines

        func write(_ text: String) throws { try text.write(toFile: file, atomically: true, encoding: .utf8) }
    }

    static func setUp(_ label: String) throws -> Setup {
        let dir = TestPaths.temporaryDirectory(label)
        let file = dir + "/gateway.yaml"
        try yaml(dir, zones: "  - { id: dock, readPoints: [bay-1] }").write(toFile: file, atomically: true, encoding: .utf8)
        let lines = LogLines()
        let logger = Logger(label: "test") { _ in CapturingHandler(sink: lines) }
        let config = try GatewayConfigLoader.load(file: file, devicesDir: nil)
        let gateway = try Gateway(config: config, logger: logger)
        return Setup(dir: dir, file: file, reloader: ConfigReloader(file: file, devices: nil, gateway: gateway, logger: logger), lines: lines)
    }

    @Test func zonesAreReloadedAndABadFileKeepsTheRunningConfiguration() async throws {
        let s = try Self.setUp("reload-zones")
        defer { try? FileManager.default.removeItem(atPath: s.dir) }
        try s.write(Self.yaml(s.dir, zones: "  - { id: dock, readPoints: [bay-1] }\n  - { id: store, readPoints: [bay-2] }"))
        let good = await s.reloader.reload(reason: "test")
        #expect(good.applied)
        #expect(good.restartNeeded.isEmpty)
        #expect(s.reloader.loaded.movement.zones.map(\.id) == ["dock", "store"])

        try s.write(Self.yaml(s.dir, zones: "  - { id: dock, readPoints: [bay-1] }\n  - { id: store, readPoints: bay-2 ]"))
        let bad = await s.reloader.reload(reason: "test")
        #expect(!bad.applied)
        #expect(bad.summary.contains("gateway.yaml:"), "\(bad.summary)")
        #expect(s.reloader.loaded.movement.zones.map(\.id) == ["dock", "store"])
    }

    @Test func aChangedPortWaitsForARestart() async throws {
        let s = try Self.setUp("reload-port")
        defer { try? FileManager.default.removeItem(atPath: s.dir) }
        try s.write(Self.yaml(s.dir, zones: "  - { id: dock, readPoints: [bay-1] }", port: "bay9"))
        let outcome = await s.reloader.reload(reason: "test")
        #expect(outcome.applied)
        #expect(!outcome.restartNeeded.isEmpty)
        #expect(s.reloader.gateway.restartNotice.reasons.contains { $0.contains("r1") }, "\(outcome.restartNeeded)")
    }

    /// Requests go through the job queue: `enqueue` after a request returns once the request's
    /// job has run (the queue is first in, first out), so no test waits on a clock.
    @Test func aRequestForTheTextAlreadyLoadedIsNoReloadAndAChangedOneIs() async throws {
        let s = try Self.setUp("reload-queue")
        defer { try? FileManager.default.removeItem(atPath: s.dir) }
        s.reloader.start()
        defer { s.reloader.stop() }
        s.reloader.requestReload("file change")
        await s.reloader.enqueue {}
        #expect(s.lines.contains("to the text already loaded; not reloaded"))
        #expect(!s.lines.contains("configuration reloaded"))

        try s.write(Self.yaml(s.dir, zones: "  - { id: lab, readPoints: [bay-1, bay-2] }"))
        s.reloader.requestReload("file change")
        await s.reloader.enqueue {}
        #expect(s.lines.contains("configuration reloaded (file change)"))
        #expect(s.reloader.loaded.movement.zones.map(\.id) == ["lab"])
    }
}
