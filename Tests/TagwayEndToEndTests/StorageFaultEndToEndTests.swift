import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// Storage faults against the real `tagway run`: a damaged or read-only log stops the start
/// (exit 3), a log deleted while running stops the gateway (exit 4), and a stop during a full
/// disk ends promptly, saying how many events were not written (exit 4).
@Suite(.serialized) struct StorageFaultEndToEndTests {
    static func config(dataDir: String, port: String = "/dev/tagway-no-such-port") -> String {
        """
        gateway: { id: e2e, dataDir: "\(dataDir)", devicesDir: "\(repositoryDevices)" }
        readers:
          - { id: desk, profile: generic/serial-barcode, port: "\(port)", readPoint: helpdesk }
        """
    }

    static func sampleEvents(_ count: Int) -> [MovementEvent] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { n in
            let time = Timestamp(milliseconds: 1_790_000_000_000 + Int64(n))
            return MovementEvent(id: EventID.make(time: time, using: &rng), type: .arrived, time: time, gateway: "e2e",
                                 asset: AssetRef(key: "em4100:\(n)", scheme: "em4100", raw: "\(n)"), to: "door")
        }
    }

    /// Waits for the process to end by itself; false (and the process killed) when it does not.
    static func exits(_ gateway: GatewayProcess, within timeout: Duration = .seconds(40)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while gateway.process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        guard gateway.process.isRunning else { return true }
        kill(gateway.process.processIdentifier, SIGKILL)
        return false
    }

    @Test func aDamagedLogStopsTheStart() async throws {
        let dir = makeTemporaryDirectory("damaged")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        let path: String
        do {
            let log = try EventLog(directory: data, durability: .normal)
            _ = try await log.append(Self.sampleEvents(2000))
            try log.close()
            path = log.path
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64((size / 4096 / 2) * 4096))
        handle.write(Data(repeating: 0xFF, count: 16))
        try handle.close()

        let gateway = try GatewayProcess(config: Self.config(dataDir: data), dataDir: dir)
        #expect(try await Self.exits(gateway))
        let stderr = gateway.stop()
        #expect(gateway.process.terminationStatus == 3, "\(stderr)")
        #expect(stderr.contains("the event log is damaged"), "\(stderr)")
        #expect(stderr.contains("Tagway has not changed the file"), "\(stderr)")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aReadOnlyDataDirectoryStopsTheStart() async throws {
        let fs = try Tmpfs("e2e-ro")
        defer { fs.unmount() }
        let dir = makeTemporaryDirectory("ro-config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let log = try EventLog(directory: fs.path, durability: .normal)
            _ = try await log.append(Self.sampleEvents(5))
            try log.close()
        }
        try fs.remount(readOnly: true)
        let gateway = try GatewayProcess(config: Self.config(dataDir: fs.path), dataDir: dir)
        #expect(try await Self.exits(gateway))
        let stderr = gateway.stop()
        #expect(gateway.process.terminationStatus == 3, "\(stderr)")
        #expect(stderr.contains("cannot be written"), "\(stderr)")
    }

    @Test func aLogDeletedWhileRunningStopsTheGateway() async throws {
        let dir = makeTemporaryDirectory("deleted-log")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gateway = try GatewayProcess(config: Self.config(dataDir: dir), dataDir: dir)
        #expect(try await gateway.waitForLog("gateway e2e:"))
        try await Task.sleep(for: .milliseconds(300))
        try FileManager.default.removeItem(atPath: dir + "/" + EventLog.fileName)
        #expect(try await Self.exits(gateway))
        let stderr = gateway.stop()
        #expect(gateway.process.terminationStatus == 4, "\(stderr)")
        #expect(stderr.contains("events.sqlite: the event log file was deleted"), "\(stderr)")
    }

    /// On a full disk the log still takes what fits in the space its files already have: the
    /// WAL starts over from its beginning once the background checkpoints have copied it into the
    /// file (`WALCheckpointer`), until copying needs the file to grow. So the test offers 40 scans
    /// after the fill, more than that space holds, and checks that every scan is accounted for:
    /// in the log, or counted as not written when the gateway stops.
    @Test func aStopDuringAFullDiskEndsPromptlyAndCountsWhatWasNotWritten() async throws {
        let fs = try Tmpfs("e2e-full", size: "2m")
        defer { fs.unmount() }
        let dir = makeTemporaryDirectory("full-config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/scanner"
        let emulator = try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:])
        let held = 40
        let scenario = try Scenario.parse((["0.3 scan ]C0FIRST-1"] + (0..<held).map {
            String(format: "%.2f scan ]C0HELD-%d", 8.0 + 0.05 * Double($0), $0 + 1)
        }).joined(separator: "\n"))
        let reader = try SimulatedReader(path: port, emulator: emulator, scenario: scenario)
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: Self.config(dataDir: fs.path, port: port), dataDir: dir)
        #expect(try await gateway.waitForLog("reader desk: connected"))
        reader.start()
        let started = ContinuousClock.now
        var logged: Int64 = 0
        for _ in 0..<300 where logged == 0 {
            try await Task.sleep(for: .milliseconds(50))
            logged = (try? EventLog.openExisting(directory: fs.path).lastSeq()) ?? 0
        }
        #expect(logged == 1)
        try fs.fill()
        #expect(try await gateway.waitForLog(" events held"), "\(gateway.errors)")
        // Every scan sent (the last at 9.95 s of the scenario), and a retry or two after it.
        try await Task.sleep(until: started + .seconds(12))
        gateway.process.terminate()
        #expect(try await Self.exits(gateway))
        let stderr = gateway.stop()
        #expect(gateway.process.terminationStatus == 4, "\(stderr)")
        let notWritten = Self.number(before: " events that could not be written", in: stderr)
        #expect((notWritten ?? 0) >= 1, "\(stderr)")
        // Nothing lost: what the log holds and what the stop counted are every scan.
        fs.free()
        let inLog = try EventLog.openExisting(directory: fs.path).events(after: 0, limit: 1_000).count
        #expect(inLog + (notWritten ?? 0) == 1 + held, "\(inLog) in the log, \(notWritten ?? 0) not written: \(stderr)")
    }

    /// The number just before `suffix` in `text` ("stopping with 12 events that …" → 12).
    static func number(before suffix: String, in text: String) -> Int? {
        guard let range = text.range(of: suffix) else { return nil }
        return Int(String(text[..<range.lowerBound].reversed().prefix { $0.isNumber }.reversed()))
    }
}

/// `tagway status` shows the log's fault from status.json, and calls a file that stopped changing stale.
@Suite struct StatusCommandFaultTests {
    @Test func statusShowsHeldEventsDroppedReadsAndALostLog() throws {
        let dir = makeTemporaryDirectory("status-cmd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let status = """
            {"gateway":"gw","time":"2026-12-01T10:00:00.000Z","pid":\(getpid()),"lastSeq":41,
             "log":{"heldEvents":120,"failingSince":"2026-12-01T09:58:00.000Z","lastError":"disk full",
                    "lastErrorTime":"2026-12-01T09:59:58.000Z","droppedReads":7,"fatal":"events.sqlite: deleted"},
             "readers":[{"reader":"r1","path":"/dev/ttyUSB0","connected":true,"frames":9,"droppedReads":7,"errors":{}}],
             "sinks":[],"retention":{"dropped":0}}
            """
        let path = dir + "/status.json"
        try status.write(toFile: path, atomically: false, encoding: .utf8)
        // Written a minute ago by a process that still runs (this one): stale.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: path)
        let result = try runTagway(["status", "--data-dir", dir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("STALE: status.json has not been rewritten for 6"), "\(result.stdout)")
        #expect(result.stdout.contains("EVENT LOG NOT WRITABLE: 120 events held in memory since 2026-12-01T09:58:00.000Z"),
                "\(result.stdout)")
        #expect(result.stdout.contains("last error: disk full"))
        #expect(result.stdout.contains("7 reads dropped since start"))
        #expect(result.stdout.contains("EVENT LOG LOST: events.sqlite: deleted"))
        #expect(result.stdout.contains("reader r1  connected  /dev/ttyUSB0  frames 9  DROPPED READS 7"), "\(result.stdout)")
    }
}
