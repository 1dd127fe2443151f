import Foundation
import TagwayTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `tagway run` on one data dir, started, SIGKILLed and started again as often as the test
/// wants, keeping the wall-clock windows in which no gateway was reading (`downtimes`).
final class KillableGateway: @unchecked Sendable {
    struct Downtime: Sendable {
        /// Wall-clock ms of the SIGKILL.
        var killed: Int64
        /// Wall-clock ms at which the next gateway had every reader connected again.
        var ready: Int64
    }

    let dir: String
    let configFile: String
    let readers: [String]
    private(set) var process: Process?
    private(set) var starts = 0
    private(set) var kills = 0
    private(set) var downtimes: [Downtime] = []
    private var stderrPath: String { dir + "/stderr-\(starts).log" }

    init(dir: String, config: String, readers: [String]) throws {
        self.dir = dir
        self.readers = readers
        configFile = dir + "/gateway.yaml"
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    /// The built `tagway`; `TAGWAY_BINARY` runs another one (e.g. the previous release, to see the
    /// suite fail on a gateway without durable state).
    static var executable: URL {
        ProcessInfo.processInfo.environment["TAGWAY_BINARY"].map { URL(fileURLWithPath: $0) } ?? TestPaths.tagwayExecutable
    }

    static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func start() throws {
        starts += 1
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["run", "--config", configFile, "--log-level", "info"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
        self.process = process
    }

    /// The stderr of the current start.
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Every start's stderr, for a failure message.
    var allStderr: String {
        (1...max(1, starts)).map { (try? String(contentsOfFile: dir + "/stderr-\($0).log", encoding: .utf8)) ?? "" }
            .joined(separator: "\n--- restart ---\n")
    }

    /// Waits until every reader of the current start logged "connected"; false if the process
    /// exited or `timeout` passed.
    func waitReady(timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = stderr
            if readers.allSatisfy({ text.contains("reader \($0): connected") }) { return true }
            if process?.isRunning != true { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// SIGKILL (no clean stop, nothing flushed) and wait for the process to be gone.
    func kill9() -> Int64 {
        let at = Self.nowMilliseconds()
        if let process {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        kills += 1
        return at
    }

    /// Kills, starts again and waits for the readers, recording the downtime. With
    /// `startupKillAfter`, the new process is killed once more that many seconds into its start.
    func crashAndRestart(startupKillAfter: Double?) async throws -> Bool {
        let killed = kill9()
        try start()
        if let delay = startupKillAfter {
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            _ = kill9()
            try start()
        }
        guard try await waitReady() else { return false }
        downtimes.append(Downtime(killed: killed, ready: Self.nowMilliseconds()))
        return true
    }

    /// SIGTERM: the clean stop at the end of the scenario.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
