#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Testing
import TagwayRuntime
import TagwayDebounce
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayTestSupport
@testable import TagwayGateway

/// Log lines kept for assertions.
final class CapturedLog: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Logger.Level, String)] = []
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { entries.append((event.level, "\(event.message)")) }
    }

    func lines(atLeast level: Logger.Level) -> [String] {
        lock.withLock { entries.filter { $0.0 >= level }.map(\.1) }
    }

    var logger: Logger { Logger(label: "test") { _ in self } }
}

/// The pipeline and the status file while the log refuses events: bounded held events, reads
/// dropped and counted beyond the bound, a bounded stop, a status that shows it.
@Suite(.serialized) struct BackPressureTests {
    static let clock: @Sendable () -> Timestamp = { Timestamp(milliseconds: 1_790_000_000_000) }

    static func scans(_ range: Range<Int>) -> [ReaderFrame] {
        range.map { .barcode(BarcodeScan(data: Array("ASSET-\($0)".utf8))) }
    }

    static func pipeline(_ log: EventLog, holding: HoldingPolicy, health: HealthBoard, writeHealth: LogWriteHealth,
                         logger: Logger) -> Pipeline {
        Pipeline(gatewayID: "gw", readPoints: [(point: "desk", reader: "r1")], debounce: DebouncerConfiguration(), log: log,
                 holding: holding, health: health, writeHealth: writeHealth, logger: logger, clock: clock)
    }

    @Test func aFullDiskHoldsBoundedEventsDropsReadsAndLosesNoEvent() async throws {
        let fs = try Tmpfs("backpressure", size: "1m")
        defer { fs.unmount() }
        let log = try EventLog(directory: fs.path + "/data")
        let captured = CapturedLog()
        let health = HealthBoard()
        health.register("r1", path: "/dev/pts/x")
        let writeHealth = LogWriteHealth()
        let pipeline = Self.pipeline(log, holding: HoldingPolicy(maxHeldEvents: 40), health: health, writeHealth: writeHealth,
                                     logger: captured.logger)
        try fs.fill()
        // One scan per chunk, as a scanner sends them: each becomes an event until 40 are held.
        for n in 0..<100 {
            await pipeline.ingest(reader: "r1", readPoint: { _ in "desk" }, frames: Self.scans(n..<n + 1), time: Self.clock())
        }
        #expect(await pipeline.pendingWrites == 40)
        #expect(health.snapshot.first?.droppedReads == 60)
        let state = writeHealth.snapshot
        #expect(state.heldEvents == 40)
        #expect(state.droppedReads == 60)
        #expect(state.failingSince != nil)
        #expect(state.lastError?.contains("disk full") == true, "\(state)")
        #expect(captured.lines(atLeast: .error).filter { $0.contains("dropping reads") }.count == 1)

        fs.free()
        var held = 40
        for _ in 0..<300 where held > 0 {
            try await Task.sleep(for: .milliseconds(50))
            held = await pipeline.pendingWrites
        }
        #expect(held == 0)
        let logged = try log.events(after: 0, limit: 1000)
        #expect(logged.count == 40)
        #expect(logged.map(\.asset.raw) == (0..<40).map { "ASSET-\($0)" })
        #expect(writeHealth.snapshot.failingSince == nil)
        #expect(captured.lines(atLeast: .notice).contains { $0.contains("writable again") && $0.contains("60 reads were dropped") })
        #expect(await pipeline.shutdown() == 0)
    }

    @Test func aStopDuringAFullDiskIsBoundedAndSaysWhatWasNotWritten() async throws {
        let fs = try Tmpfs("stop-full", size: "1m")
        defer { fs.unmount() }
        let log = try EventLog(directory: fs.path + "/data")
        let captured = CapturedLog()
        let pipeline = Self.pipeline(log, holding: HoldingPolicy(stopRetries: .milliseconds(300)), health: HealthBoard(),
                                     writeHealth: LogWriteHealth(), logger: captured.logger)
        try fs.fill()
        await pipeline.ingest(reader: "r1", readPoint: { _ in "desk" }, frames: Self.scans(0..<7), time: Self.clock())
        // A stop arrives as cancellation: the final retries must still pause between attempts.
        let stop = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await pipeline.shutdown()
        }
        #expect(await stop.value == 7)
        #expect(captured.lines(atLeast: .critical).contains { $0.contains("stopping with 7 events that could not be written") })
    }

    @Test func aFatalLogErrorIsReportedOnceAndReadsStop() async throws {
        let dir = temporaryDirectory("fatal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let reported = CapturedLog()
        let writeHealth = LogWriteHealth()
        let health = HealthBoard()
        health.register("r1", path: "/dev/x")
        let pipeline = Pipeline(gatewayID: "gw", readPoints: [(point: "desk", reader: "r1")], debounce: DebouncerConfiguration(),
                                log: log, health: health, writeHealth: writeHealth,
                                onFatal: { reported.logger.critical("fatal: \($0)") }, logger: CapturedLog().logger, clock: Self.clock)
        try FileManager.default.removeItem(atPath: log.path)
        await pipeline.ingest(reader: "r1", readPoint: { _ in "desk" }, frames: Self.scans(0..<2), time: Self.clock())
        await pipeline.ingest(reader: "r1", readPoint: { _ in "desk" }, frames: Self.scans(2..<5), time: Self.clock())
        #expect(reported.lines(atLeast: .critical).count == 1)
        #expect(reported.lines(atLeast: .critical).first?.contains("deleted") == true)
        #expect(writeHealth.snapshot.fatal != nil)
        #expect(health.snapshot.first?.droppedReads == 3)
        #expect(await pipeline.shutdown() == 2)
    }

    // MARK: status.json

    static func statusFile(_ dir: String, log: EventLog, writeHealth: LogWriteHealth, logger: Logger) -> StatusFile {
        StatusFile(location: StatusLocation(directory: dir, link: nil), gatewayID: "gw", health: HealthBoard(), sinks: SinkStatusBoard(), log: log,
                   writeHealth: writeHealth, logger: logger, clock: clock)
    }

    @Test func statusShowsTheLogFaultWithoutReadingTheLog() async throws {
        let dir = temporaryDirectory("status-fault")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1), sampleEvent(2)])
        let writeHealth = LogWriteHealth()
        writeHealth.writeFailed("disk full", held: 12, at: Self.clock())
        writeHealth.readsDropped(5, reader: "r1")
        let status = Self.statusFile(dir, log: log, writeHealth: writeHealth, logger: CapturedLog().logger)
        // Deleting the log does not stop the status: it reads memory only.
        try FileManager.default.removeItem(atPath: log.path)
        status.write()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: status.path))) as? [String: Any])
        #expect(json["lastSeq"] as? Int == 2)
        let logPart = try #require(json["log"] as? [String: Any])
        #expect(logPart["heldEvents"] as? Int == 12)
        #expect(logPart["lastError"] as? String == "disk full")
        #expect(logPart["failingSince"] as? String == Self.clock().iso8601)
        #expect(logPart["droppedReads"] as? Int == 5)
    }

    @Test func statusWriteFailuresAreLoggedOncePerEpisodeAndLeaveNoTemp() async throws {
        let fs = try Tmpfs("status-full", size: "1m")
        defer { fs.unmount() }
        let logDir = temporaryDirectory("status-full-log")
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        let log = try EventLog(directory: logDir)
        let captured = CapturedLog()
        let status = Self.statusFile(fs.path, log: log, writeHealth: LogWriteHealth(), logger: captured.logger)
        try fs.fill()
        // Empty, so removing them frees no space.
        _ = FileManager.default.createFile(atPath: fs.path + "/.dat.nosyncAB12.status.json", contents: nil)
        _ = FileManager.default.createFile(atPath: fs.path + "/.status.json.tmp", contents: nil)
        let changes = Wakeup()
        let running = Task { await status.run(changes: changes, spacing: .milliseconds(20)) }
        // Stale temps go at start; a full disk fails every retry (one per spacing) but is logged once.
        for _ in 0..<200 where captured.lines(atLeast: .error).isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(captured.lines(atLeast: .error).count == 1)
        #expect(captured.lines(atLeast: .error).first?.contains(".status.json.tmp") == true)
        #expect(!FileManager.default.fileExists(atPath: fs.path + "/.dat.nosyncAB12.status.json"))
        #expect(!FileManager.default.fileExists(atPath: fs.path + "/.status.json.tmp"))
        fs.free()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: status.path) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(FileManager.default.fileExists(atPath: status.path))
        try fs.remount(readOnly: true)
        // Written only on change now (issue 16): a change meets the read-only disk.
        changes.ring()
        for _ in 0..<200 where captured.lines(atLeast: .error).count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        running.cancel()
        _ = await running.value
        #expect(captured.lines(atLeast: .notice).contains { $0.contains("written again") })
        #expect(captured.lines(atLeast: .error).count >= 2)
        #expect(captured.lines(atLeast: .error)[1].contains("Read-only file system"))
    }

    @Test(arguments: [0o000, 0o022] as [mode_t])
    func statusFileModeDoesNotFollowTheUmask(_ mask: mode_t) throws {
        let dir = temporaryDirectory("status-mode")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let previous = umask(mask)
        defer { umask(previous) }
        try StatusFileWriter.replace(dir + "/status.json", via: dir + "/.status.json.tmp", with: "{}\n")
        #expect(StorageFaultTests.mode(dir + "/status.json") == 0o640)
    }
}

/// Dropped reads and held events reach the metrics backend.
@Suite struct LogWriteMetricsTests {
    @Test func droppedReadsAndHeldEventsAreMetrics() {
        let factory = RecordingMetrics()
        let health = LogWriteHealth(metrics: factory)
        health.readsDropped(3, reader: "r1")
        health.readsDropped(2, reader: "r1")
        health.writeFailed("disk full", held: 9, at: Timestamp(milliseconds: 0))
        #expect(factory.value("tagway_reads_dropped_total", reader: "r1") == 5)
        #expect(factory.value("tagway_events_held") == 9)
        health.writesRecovered()
        #expect(factory.value("tagway_events_held") == 0)
    }
}
