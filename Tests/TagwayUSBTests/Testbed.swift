import Foundation
import Glibc

/// One JSON line printed by the probe (`event`) or by the testbed's summary (`testbed`).
struct OutputLine: Decodable {
    var event: String?
    var testbed: String?
    var text: String?
    var hex: String?
    var symbology: String?
    var device: String?
    var serial: String?
    var product: String?
    var path: String?
    var kind: String?
    var error: String?
    var action: String?
    var subsystem: String?
    var devnode: String?
    var syspath: String?
    var usbSyspath: String?
    var interface: Int?
    var hid: String?
    var kernelDriverWasActive: Bool?
    var name: String?
    var plugged: Bool?
    var driverBound: Bool?
    var detaches: Int?
    var attaches: Int?
    var claims: Int?
    var reportsDelivered: Int?
    var undelivered: Int?
    var exit: Int?
    var cpuMs: Int?
    var reports: Int?
    var scans: Int?
    var errorReports: Int?
    var truncatedScans: Int?
}

/// What one testbed run printed.
struct TestbedRun {
    var lines: [OutputLine]
    var exitCode: Int32
    var log: String
    /// Everything the program and the testbed printed on standard output, JSON or not (a
    /// gateway run through `sh -c '… 2>&1'` prints its log lines there).
    var output: String = ""

    var events: [OutputLine] { lines.filter { $0.event != nil } }
    var eventNames: [String] { events.compactMap(\.event) }
    var scans: [String] { events.filter { $0.event == "scan" }.compactMap(\.text) }
    var statistics: OutputLine? { events.last { $0.event == "stats" } }
    func device(_ name: String) -> OutputLine? { lines.first { $0.testbed == "device" && $0.name == name } }
    var child: OutputLine? { lines.first { $0.testbed == "child" } }
}

/// Runs `tagway-usb-testbed STEPS -- tagway-usb-probe ARGS` (both built next to the test binary)
/// and collects its output. Each run is its own emulated world: its own /sys, /dev and devices.
enum Testbed {
    static let directory = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0]).deletingLastPathComponent()

    /// Whether the testbed was built with umockdev (without libumockdev-dev it builds without
    /// the emulation and exits 77) and umockdev's preload library is installed. CI installs
    /// both, so under CI (`CI` set) the tests always run: a missing umockdev fails them there
    /// instead of skipping them quietly.
    static let isAvailable: Bool = {
        if ProcessInfo.processInfo.environment["CI"] != nil { return true }
        let libraries = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"]
        guard libraries.contains(where: { FileManager.default.fileExists(atPath: "\($0)/libumockdev-preload.so.0") }) else { return false }
        let check = Process()
        check.executableURL = directory.appendingPathComponent("tagway-usb-testbed")
        check.arguments = ["--check"]
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }()

    /// A device description from `Tests/TagwayUSBTests/Devices`.
    static func device(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Devices/\(name).umockdev").path
    }

    /// Runs the probe (`tagway-usb-probe ARGUMENTS`) under the testbed.
    static func run(_ steps: [String], probe arguments: [String], timeoutMs: Int = 60_000) async throws -> TestbedRun {
        try await run(steps, command: [directory.appendingPathComponent("tagway-usb-probe").path] + arguments, timeoutMs: timeoutMs)
    }

    /// Runs any program under the testbed (the gateway's end-to-end tests run `tagway run` so).
    static func run(_ steps: [String], command: [String], timeoutMs: Int = 60_000) async throws -> TestbedRun {
        let process = Process()
        process.executableURL = directory.appendingPathComponent("tagway-usb-testbed")
        process.arguments = ["--timeout-ms", String(timeoutMs)] + steps + ["--"] + command
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        async let out = readAll(output.fileHandleForReading.fileDescriptor)
        async let err = readAll(errors.fileHandleForReading.fileDescriptor)
        let (stdout, stderr) = await (out, err)
        process.waitUntilExit()
        removeTestbedDirectory(mentionedIn: stderr)
        let decoder = JSONDecoder()
        let lines = stdout.split(separator: "\n").compactMap { try? decoder.decode(OutputLine.self, from: Data($0.utf8)) }
        return TestbedRun(lines: lines, exitCode: process.terminationStatus, log: stderr, output: stdout)
    }

    private static func readAll(_ descriptor: Int32) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var data = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    data.append(contentsOf: buffer[0..<count])
                }
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// A testbed that was killed leaves its /tmp/umockdev.* behind; a normal exit removes it.
    private static func removeTestbedDirectory(mentionedIn log: String) {
        guard let line = log.split(separator: "\n").first(where: { $0.hasPrefix("[testbed] root ") }) else { return }
        let root = String(line.dropFirst("[testbed] root ".count))
        if root.hasPrefix("/tmp/umockdev."), FileManager.default.fileExists(atPath: root) {
            try? FileManager.default.removeItem(atPath: root)
        }
    }
}
