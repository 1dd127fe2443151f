import Foundation

/// One run of a program (`tagway`, or a system tool: make, systemd-analyze, dpkg-deb, lintian) with
/// its output, so each test states what it ran and a failure shows what the program said.
public struct ExternalCommand: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Runs `arguments[0]` found through PATH, in `directory`, with `environment` added to ours.
    public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                           timeout: Duration = .seconds(120)) throws -> ExternalCommand {
        try run(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments, in: directory, environment: environment,
                timeout: timeout)
    }

    /// Runs `executable` with `arguments`; past `timeout` it is terminated (and its output so far returned).
    public static func run(executable: URL, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:], timeout: Duration = .seconds(120)) throws -> ExternalCommand {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes while the tool runs so a chatty one never blocks on a full pipe.
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout.components.seconds * 1000))
        if group.wait(timeout: deadline) == .timedOut { process.terminate() }
        process.waitUntilExit()
        return ExternalCommand(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                               stderr: String(decoding: errData, as: UTF8.self))
    }

    /// What a failed expectation prints.
    public var transcript: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}
