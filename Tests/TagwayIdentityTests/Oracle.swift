import TagwayModel
import Foundation

/// The Python reference libraries (PyPI `epcpy` for the EPC Tag Data Standard, `biip` for GS1
/// element strings), installed into a virtual environment cached under the system temp directory.
///
/// The environment is keyed on the Python version and the pinned package versions: a marker file
/// written after a successful install makes later runs start in milliseconds. When pip cannot
/// reach PyPI the differential tests are skipped with a message saying so; any other setup
/// failure (no python3, no venv module, pip failing with PyPI reachable) fails the tests.
enum Oracle {
    static let packages = ["epcpy==0.1.8", "biip==5.2.0"]

    enum Setup: Sendable {
        case ready(python: String)
        case unreachable(String)
        case failed(String)
    }

    static let setup: Setup = prepare()

    /// False only when PyPI is unreachable; prints why once, so the skip is visible in the test log.
    static let reachable: Bool = {
        if case let .unreachable(reason) = setup {
            print("SKIPPED differential tests against epcpy/biip: PyPI is unreachable (\(reason))")
            return false
        }
        return true
    }()

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Oracle/oracle.py").path
    }

    private static func prepare() -> Setup {
        guard let version = try? run("/usr/bin/env", ["python3", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]),
              version.status == 0
        else { return .failed("python3 is not installed") }
        let key = "py" + version.output.trimmingCharacters(in: .whitespacesAndNewlines) + "-"
            + packages.joined(separator: "-").replacingOccurrences(of: "==", with: "")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-identity-oracle")
            .appendingPathComponent(key)
        let python = directory.appendingPathComponent("bin/python").path
        let marker = directory.appendingPathComponent(".installed")
        if let installed = try? String(contentsOf: marker, encoding: .utf8), installed == key,
           FileManager.default.isExecutableFile(atPath: python) {
            return .ready(python: python)
        }
        try? FileManager.default.removeItem(at: directory)
        guard let venv = try? run("/usr/bin/env", ["python3", "-m", "venv", directory.path]), venv.status == 0 else {
            return .failed("python3 -m venv failed (is the venv module installed?)")
        }
        let pip = directory.appendingPathComponent("bin/pip").path
        guard let install = try? run(pip, ["install", "--disable-pip-version-check", "--no-input", "--retries", "2",
                                           "--timeout", "20", "-q"] + packages)
        else { return .failed("could not start pip") }
        if install.status != 0 {
            // Only network failures count as "unreachable"; a missing version or a build error fails.
            let networkSigns = ["NewConnectionError", "Failed to establish a new connection", "Temporary failure in name resolution",
                                "Name or service not known", "Network is unreachable", "No route to host", "Connection refused",
                                "ConnectTimeout", "ReadTimeout", "ProxyError", "Max retries exceeded", "Could not fetch URL",
                                "connection broken"]
            let tail = String(install.output.suffix(400))
            if networkSigns.contains(where: { install.output.contains($0) }) { return .unreachable(tail) }
            return .failed("pip install \(packages.joined(separator: " ")) failed: \(tail)")
        }
        try? key.write(to: marker, atomically: true, encoding: .utf8)
        return .ready(python: python)
    }

    /// Runs the oracle once over a batch of requests; one answer per request, in order.
    static func answers(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        guard case let .ready(python) = setup else { throw OracleError.notReady("\(setup)") }
        var input = Data()
        for request in requests {
            input.append(try JSONSerialization.data(withJSONObject: request))
            input.append(0x0A)
        }
        let result = try run(python, [script], input: input)
        guard result.status == 0 else { throw OracleError.failed(String(result.output.suffix(2000))) }
        let lines = result.output.split(separator: "\n")
        guard lines.count == requests.count else {
            throw OracleError.failed("expected \(requests.count) answers, got \(lines.count): \(result.output.suffix(500))")
        }
        return try lines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw OracleError.failed("not a JSON object: \(line)")
            }
            return object
        }
    }

    enum OracleError: Error { case notReady(String), failed(String) }

    /// Runs a program; stdin from `input` (via a temp file, so large batches cannot dead-lock a
    /// pipe), stdout and stderr together.
    private static func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws
        -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-oracle-\(UUID().uuidString).in")
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-oracle-\(UUID().uuidString).out")
        try input.write(to: inputFile)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: inputFile)
            try? FileManager.default.removeItem(at: outputFile)
        }
        let stdin = try FileHandle(forReadingFrom: inputFile)
        let stdout = try FileHandle(forWritingTo: outputFile)
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        process.waitUntilExit()
        try stdin.close()
        try stdout.close()
        let output = try String(contentsOf: outputFile, encoding: .utf8)
        return (process.terminationStatus, output)
    }
}

/// Seeded inputs, so a mismatch can be replayed from its seed.
typealias SeededGenerator = SplitMix64
