import Foundation
import TagwayTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// One `tagway` process of the fleet test (`run` for a gateway, `site` for a site view),
/// started, SIGKILLed and started again with the same arguments; each start's output in a log
/// file of its own, kept for a failing test's message. The suite kills every one in teardown.
final class FleetProcess: @unchecked Sendable {
    let name: String
    let arguments: [String]
    let directory: String
    private let lock = NSLock()
    private var process: Process?
    private(set) var starts = 0

    init(name: String, arguments: [String], directory: String) {
        self.name = name
        self.arguments = arguments
        self.directory = directory
    }

    private func logPath(_ start: Int) -> String { directory + "/\(name)-\(start).log" }

    func start() throws {
        let start = lock.withLock { () -> Int in
            starts += 1
            return starts
        }
        FileManager.default.createFile(atPath: logPath(start), contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath(start)))
        let process = Process()
        process.executableURL = TestPaths.tagwayExecutable
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        lock.withLock { self.process = process }
    }

    var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// The running process's id (a site process names itself `host:pid` in the lease row).
    var pid: Int32? { lock.withLock { process?.processIdentifier } }

    /// The current start's output.
    var log: String { (try? String(contentsOfFile: logPath(starts), encoding: .utf8)) ?? "" }

    /// Every start's output, the last 3,000 characters of each, for a failure message.
    var allLogs: String {
        (1...max(1, starts)).map { "--- \(name) start \($0) ---\n" + String(((try? String(contentsOfFile: logPath($0), encoding: .utf8)) ?? "").suffix(3_000)) }
            .joined(separator: "\n")
    }

    /// SIGKILL: nothing flushed, no goodbye; waits until the process is gone.
    func kill9() {
        let taken = lock.withLock { () -> Process? in
            defer { process = nil }
            return process
        }
        guard let taken else { return }
        if taken.isRunning { kill(taken.processIdentifier, SIGKILL) }
        taken.waitUntilExit()
    }

    /// SIGTERM, the clean stop; true when it exited with status 0.
    @discardableResult
    func stop() -> Bool {
        let taken = lock.withLock { () -> Process? in
            defer { process = nil }
            return process
        }
        guard let taken else { return true }
        if taken.isRunning { taken.terminate() }
        taken.waitUntilExit()
        return taken.terminationReason == .exit && taken.terminationStatus == 0
    }
}
