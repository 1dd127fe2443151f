import Foundation
import Testing
import TagwayEmulators
import TagwaySimulator

/// status.json in the runtime directory (systemd's `RUNTIME_DIRECTORY`, or `gateway.runtimeDir`),
/// off the log's disk, with `<dataDir>/status.json` a link to it: `tagway status --data-dir`
/// keeps working, a link left by a run before the last boot is explained, and a runtime
/// directory that cannot be used leaves the file in the data directory with a warning.
@Suite(.serialized) struct RuntimeDirectoryStatusTests {
    static func config(_ dir: String, port: String, extra: String = "") -> String {
        """
        gateway: { id: rundir, dataDir: "\(dir)/data", devicesDir: "\(repositoryDevices)"\(extra) }
        readers:
          - { id: desk, profile: generic/serial-barcode, port: "\(port)", readPoint: helpdesk }
        """
    }

    static func linkTarget(_ path: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: path) }

    /// `tagway run` with `gateway.runtimeDir` until one scan is logged, then stopped: its stderr
    /// and exit status.
    static func runOneScan(_ dir: String, runtimeDir: String) async throws -> (stderr: String, status: Int32) {
        let reader = try ServiceEndToEndTests.scanner(dir, "0.2 scan ]C0ASSET-1\n")
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: config(dir, port: reader.path, extra: ", runtimeDir: \"\(runtimeDir)\""),
                                         dataDir: dir + "/data")
        #expect(try await gateway.waitForLog("reader desk: connected"), "\(gateway.errors)")
        reader.start()
        _ = try await gateway.waitForEvents { $0.count >= 1 }
        let stderr = gateway.stop()
        return (stderr, gateway.process.terminationStatus)
    }

    @Test func systemdsRuntimeDirectoryHoldsTheFileAndTheDataDirectoryLinksToIt() async throws {
        let dir = makeTemporaryDirectory("rundir-systemd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // systemd creates RuntimeDirectory= before the start and names it in the environment.
        let runtime = dir + "/run"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        let reader = try ServiceEndToEndTests.scanner(dir, "0.2 scan ]C0ASSET-1\n0.3 scan ]C0ASSET-2\n")
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: Self.config(dir, port: reader.path), dataDir: dir + "/data",
                                         environment: ["RUNTIME_DIRECTORY": runtime + ":" + dir + "/other"])
        #expect(try await gateway.waitForLog("reader desk: connected"), "\(gateway.errors)")
        reader.start()
        _ = try await gateway.waitForEvents { $0.count >= 2 }
        let link = dir + "/data/status.json"
        #expect(Self.linkTarget(link) == runtime + "/status.json")
        // Written within its 2 s spacing of the last frame.
        var frames = -1
        for _ in 0..<300 where frames != 2 {
            frames = (try? ServiceEndToEndTests.framesReceived(dir: dir + "/data", reader: "desk")) ?? -1
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(frames == 2, "\(gateway.errors)")
        let running = try runTagway(["status", "--data-dir", dir + "/data"])
        #expect(running.status == 0, "\(running.stderr)")
        #expect(running.stdout.contains("running (pid \(gateway.process.processIdentifier))"), "\(running.stdout)")
        #expect(running.stdout.contains("reader desk  connected"), "\(running.stdout)")
        let stderr = gateway.stop()
        #expect(gateway.process.terminationStatus == 0, "\(stderr)")
        #expect(!stderr.contains("status.json stays in the data directory"), "\(stderr)")
        // Nothing of status is written beside the log.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/data").filter { $0.contains("status") }
        #expect(names == ["status.json"], "\(names)")
        // The stop's last write is there after the stop (RuntimeDirectoryPreserve=yes keeps it).
        let stopped = try runTagway(["status", "--data-dir", dir + "/data"])
        #expect(stopped.stdout.contains("NOT RUNNING"), "\(stopped.stdout)")

        // A reboot empties the runtime directory: the link says so rather than "no status file".
        try FileManager.default.removeItem(atPath: runtime + "/status.json")
        let rebooted = try runTagway(["status", "--data-dir", dir + "/data"])
        #expect(rebooted.status == 2)
        #expect(rebooted.stderr.contains("links to \(runtime)/status.json, which does not exist"), "\(rebooted.stderr)")
    }

    @Test func aConfiguredRuntimeDirectoryIsCreatedAndReplacesAnOldFile() async throws {
        let dir = makeTemporaryDirectory("rundir-config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A status.json a previous version wrote in the data directory.
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        try "{}\n".write(toFile: dir + "/data/status.json", atomically: false, encoding: .utf8)
        let (stderr, status) = try await Self.runOneScan(dir, runtimeDir: dir + "/run/tagway")
        #expect(status == 0, "\(stderr)")
        #expect(Self.linkTarget(dir + "/data/status.json") == dir + "/run/tagway/status.json")
        #expect(try ServiceEndToEndTests.framesReceived(dir: dir + "/data", reader: "desk") == 1)
        var info = stat()
        #expect(stat(dir + "/run/tagway", &info) == 0 && info.st_mode & 0o777 == 0o750)
    }

    @Test func anUnusableRuntimeDirectoryLeavesTheFileInTheDataDirectoryWithAWarning() async throws {
        let dir = makeTemporaryDirectory("rundir-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Its parent is a file: the directory can never be made.
        try "not a directory\n".write(toFile: dir + "/file", atomically: false, encoding: .utf8)
        let (stderr, _) = try await Self.runOneScan(dir, runtimeDir: dir + "/file/run")
        #expect(stderr.contains("status.json stays in the data directory: \(dir)/file/run: mkdir failed: Not a directory"), "\(stderr)")
        #expect(Self.linkTarget(dir + "/data/status.json") == nil)
        #expect(try ServiceEndToEndTests.framesReceived(dir: dir + "/data", reader: "desk") == 1)
    }
}
