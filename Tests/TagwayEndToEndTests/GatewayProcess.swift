import TagwayTestSupport
import Foundation
import TagwayEventLog
import TagwayModel

/// Runs the real `tagway` executable (built by `swift build`/`swift test` next to the test bundle)
/// as a child process, the way an operator runs it.
final class GatewayProcess: @unchecked Sendable {
    let process = Process()
    let dataDir: String
    private let errorPipe = Pipe()
    private let lock = NSLock()
    private var stderrText = ""
    private let drained = DispatchSemaphore(value: 0)

    static var executable: URL { TestPaths.tagwayExecutable }

    /// `environment` is added to the test's own (NOTIFY_SOCKET, WATCHDOG_USEC …).
    init(config: String, dataDir: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        self.dataDir = dataDir
        let file = (dataDir as NSString).appendingPathComponent("gateway.yaml")
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        try config.write(toFile: file, atomically: true, encoding: .utf8)
        process.executableURL = Self.executable
        process.arguments = ["run", "--config", file, "--log-level", "debug"] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Read stderr as it comes, so tests can wait for a log line and the pipe never fills.
        let handle = errorPipe.fileHandleForReading
        DispatchQueue.global().async { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                lock.withLock { stderrText += String(decoding: data, as: UTF8.self) }
            }
            drained.signal()
        }
    }

    /// Waits until the gateway has logged a line containing `text` (e.g. "r1: connected").
    func waitForLog(_ text: String, timeout: Duration = .seconds(90)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if lock.withLock({ stderrText.contains(text) }) { return true }
            if !process.isRunning { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Polls the log until `done` holds for its events, or `timeout` passes.
    func waitForEvents(timeout: Duration = .seconds(90), until done: ([MovementEvent]) -> Bool) async throws -> [MovementEvent] {
        let deadline = ContinuousClock.now + timeout
        var events: [MovementEvent] = []
        while ContinuousClock.now < deadline {
            if let log = try? EventLog.openExisting(directory: dataDir) {
                events = try log.events(after: 0, limit: 100_000)
                if done(events) { return events }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return events
    }

    /// Everything the gateway wrote to stderr so far.
    var errors: String { lock.withLock { stderrText } }

    /// SIGTERM, then wait: a graceful stop.
    func stop() -> String {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        drained.wait()
        return lock.withLock { stderrText }
    }
}

func makeTemporaryDirectory(_ label: String) -> String { TestPaths.temporaryDirectory("e2e-" + label) }

/// The repository's devices/ directory.
let repositoryDevices = TestPaths.repositoryDevices
