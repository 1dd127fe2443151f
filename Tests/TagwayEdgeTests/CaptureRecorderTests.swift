import Foundation
import Synchronization
import Testing
import TagwayCapture
import TagwayModel
import TagwayTestSupport
@testable import TagwayGateway

/// Capture files that fail or stall on demand: a full disk, a disk slower than the reader.
final class ScriptedCaptureFiles: CaptureFiles, @unchecked Sendable {
    private struct State {
        var failing = true
        var holding = false
        var appends = 0
        var entered = 0
        var failures = 0
        var bytes: [String: [UInt8]] = [:]
        var current = ""
    }

    private let state = Mutex(State())
    private let released = DispatchSemaphore(value: 0)

    init(failing: Bool = true, holding: Bool = false) {
        state.withLock {
            $0.failing = failing
            $0.holding = holding
        }
    }

    var failures: Int { state.withLock { $0.failures } }
    var appends: Int { state.withLock { $0.appends } }
    /// Appends begun, held ones included.
    var entered: Int { state.withLock { $0.entered } }
    var files: [String: [UInt8]] { state.withLock { $0.bytes } }

    func heal() { state.withLock { $0.failing = false } }

    /// Lets a held `append` (and every later one) through.
    func release() {
        state.withLock { $0.holding = false }
        released.signal()
    }

    func names(startingWith prefix: String) -> [String] { [] }

    func start(_ name: String) throws(CaptureFileError) {
        let failing = state.withLock { s -> Bool in
            if s.failing { s.failures += 1 } else { s.current = name; s.bytes[name] = [] }
            return s.failing
        }
        if failing { throw CaptureFileError(path: name, call: "open", errno: ENOSPC, message: "No space left on device") }
    }

    func append(_ bytes: [UInt8]) throws(CaptureFileError) {
        if state.withLock({ s -> Bool in
            s.entered += 1
            return s.holding
        }) {
            released.wait()
            released.signal()
        }
        let failing = state.withLock { s -> Bool in
            s.appends += 1
            if s.failing { s.failures += 1 } else { s.bytes[s.current, default: []] += bytes }
            return s.failing
        }
        if failing { throw CaptureFileError(path: "capture", call: "write", errno: ENOSPC, message: "No space left on device") }
    }

    func remove(_ name: String) { state.withLock { _ = $0.bytes.removeValue(forKey: name) } }

    func close() {}
}

/// Waits until `condition` holds; the deadline only guards against a hang.
func eventually(_ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return condition()
}

@Suite struct CaptureRecorderTests {
    static let header = CaptureHeader(reader: "r1", profile: "magicrf/m100", protocolID: "magicrf-m100", transport: "serial",
                                      line: "115200 8N1")

    static func record(_ n: Int, payload: Int = 10) -> CaptureRecord {
        CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_000 + Int64(n)), kind: .rx,
                      payload: (0..<payload).map { UInt8(truncatingIfNeeded: n &+ $0) })
    }

    @Test func filesRotateAtTheirSizeKeepTheNewestAndEachReadsBack() async throws {
        let dir = TestPaths.temporaryDirectory("capture-rotate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // An earlier run's file of this reader counts against maxFiles; another reader's does not.
        try "#tagway-capture 1\n".write(toFile: dir + "/r1-20200101T000000.000Z.tcap", atomically: true, encoding: .utf8)
        try "#tagway-capture 1\n".write(toFile: dir + "/r10-20200101T000000.000Z.tcap", atomically: true, encoding: .utf8)
        let recorder = CaptureRecorder(header: Self.header, files: DiskCaptureFiles(directory: dir),
                                       limits: .init(maxFileBytes: 4096, maxFiles: 3), maxBufferBytes: 1 << 20, logger: CapturedLog().logger)
        for n in 0..<2000 { recorder.record(Self.record(n)) }
        await recorder.stop()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("r1-") }.sorted()
        #expect(names.count == 3)
        #expect(!names.contains("r1-20200101T000000.000Z.tcap"))
        var records: [CaptureRecord] = []
        for name in names {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            #expect(bytes.count <= 4096)
            let capture = try CaptureParser.parse(bytes, file: name)
            #expect(capture.header.reader == "r1")
            #expect(capture.header.line == "115200 8N1")
            #expect(capture.header.started == capture.records.first?.time)
            records += capture.records
        }
        // The newest records, contiguous and in order, up to the last one recorded.
        #expect(records == (2000 - records.count..<2000).map { Self.record($0) })
        #expect(FileManager.default.fileExists(atPath: dir + "/r10-20200101T000000.000Z.tcap"))
        let statistics = recorder.statistics
        #expect(statistics.written == 2000)
        #expect(statistics.dropped == 0)
        #expect(statistics.files > 3)
    }

    @Test func aFullDiskDropsAndCountsRecordsAndRecordingResumesWhenThereIsRoom() async throws {
        let files = ScriptedCaptureFiles(failing: true)
        let log = CapturedLog()
        let drops = Mutex<[Int]>([])
        let recorder = CaptureRecorder(header: Self.header, files: files, limits: .init(maxFileBytes: 1 << 20, maxFiles: 2),
                                       maxBufferBytes: 1 << 20, logger: log.logger, onDrops: { total in drops.withLock { $0.append(total) } })
        for n in 0..<500 { recorder.record(Self.record(n)) }
        // Every record offered reaches the writer, which fails: all 500 dropped, counted.
        #expect(await eventually { recorder.statistics.dropped == 500 })
        #expect(recorder.statistics.dropped == 500)
        #expect(recorder.statistics.written == 0)
        #expect(recorder.statistics.lastError?.contains("No space left") == true)
        files.heal()
        for n in 500..<600 { recorder.record(Self.record(n)) }
        await recorder.stop()
        #expect(recorder.statistics.written == 100)
        #expect(recorder.statistics.dropped == 500)
        let written = try files.files.values.flatMap { try CaptureParser.parse($0, file: "f").records }
        #expect(written == (500..<600).map { Self.record($0) })
        // One warning for the episode, one notice when it ended, and the status told both times.
        #expect(log.lines(atLeast: .warning).filter { $0.contains("dropping records") }.count == 1, "\(log.lines(atLeast: .trace))")
        #expect(log.lines(atLeast: .notice).contains { $0.contains("recording again") && $0.contains("500 record(s) dropped") })
        #expect(drops.withLock { $0.first } ?? 0 >= 1)
        #expect(drops.withLock { $0.last } == 500)
    }

    @Test func aStalledDiskNeverHoldsTheReaderAndMemoryStaysBounded() async throws {
        let files = ScriptedCaptureFiles(failing: false, holding: true)
        let recorder = CaptureRecorder(header: Self.header, files: files, limits: .init(maxFileBytes: 1 << 20, maxFiles: 2),
                                       maxBufferBytes: 8192, logger: CapturedLog().logger)
        // The writer is held inside its first append; every record call still returns.
        recorder.record(Self.record(0))
        #expect(await eventually { files.entered == 1 })
        for n in 1..<20_000 { recorder.record(Self.record(n)) }
        let held = recorder.statistics
        // 8192 bytes at 52 a record: at most 157 wait in memory, the rest (all but those) dropped.
        #expect(held.dropped >= 20_000 - 1 - 8192 / CaptureBacklog.cost(payloadBytes: 10))
        #expect(held.written == 0)
        files.release()
        await recorder.stop()
        let done = recorder.statistics
        #expect(done.written + done.dropped == 20_000)
        #expect(done.written >= 1)
    }
}
