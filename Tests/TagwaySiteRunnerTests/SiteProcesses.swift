import Foundation
import NATSServerSupport
import TagwayTestSupport

/// `tagway site` binaries against one nats-server, for the takeover suites: each process logs to
/// its own file in the server's directory, and every one still running is SIGKILLed when the
/// suite lets go of this (its deinit runs even when a test fails), before the server goes.
final class SiteProcesses: @unchecked Sendable {
    let nats: NATSServerFixture
    private let lock = NSLock()
    private var processes: [Process] = []

    var server: NATSServer { nats.server }
    var directory: String { nats.directory }

    init(_ name: String) throws { nats = try NATSServerFixture(name) }

    deinit {
        for process in lock.withLock({ processes }) where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts `tagway site --config config` (ack wait 2 s, info logs) logging to `name`.log.
    func start(_ config: String, name: String) throws -> Process {
        let process = Process()
        process.executableURL = TestPaths.tagwayExecutable
        process.arguments = ["site", "--config", config, "--ack-wait", "2", "--log-level", "info"]
        FileManager.default.createFile(atPath: directory + "/\(name).log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/\(name).log"))
        process.standardError = log
        process.standardOutput = log
        try process.run()
        lock.withLock { processes.append(process) }
        return process
    }

    func log(_ name: String) -> String { (try? String(contentsOfFile: directory + "/\(name).log", encoding: .utf8)) ?? "" }
}
