import Foundation

/// One run of a system tool (make, systemd-analyze, dpkg-deb, lintian, dpkg) with its output, so
/// each packaging test states what it ran and a failure shows what the tool said.
struct ExternalCommand {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `arguments[0]` found through PATH, in `directory`, with `environment` added to ours.
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                    timeout: Duration = .seconds(120)) throws -> ExternalCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
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
    var transcript: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

/// Every file and symlink under `root`, as paths relative to it, sorted.
func filesUnder(_ root: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var files: [String] = []
    for case let path as String in walker {
        let attributes = walker.fileAttributes ?? [:]
        if attributes[.type] as? FileAttributeType != .typeDirectory { files.append(path) }
    }
    return files.sorted()
}
