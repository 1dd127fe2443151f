import TagwayTestSupport
import Foundation

/// Runs the real `tagway` executable (built next to the test bundle) as a child process, and
/// kills it the hard way when told to.
final class GatewayRunner {
    let process = Process()
    private let errorFile: String

    static var executable: URL { TestPaths.tagwayExecutable }

    /// Starts `tagway <arguments>`; standard error goes to `errorFile` (kept across restarts).
    init(_ arguments: [String], environment: [String: String] = [:], errorFile: String) throws {
        self.errorFile = errorFile
        if !FileManager.default.fileExists(atPath: errorFile) { _ = FileManager.default.createFile(atPath: errorFile, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        handle.seekToEndOfFile()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    var errors: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }

    /// Runs `tagway <arguments>` to completion and returns its standard output.
    static func output(_ arguments: [String]) throws -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
