import BenchReport
import Foundation
import TagwaySerial

/// `tagway-bench idle [--seconds 60] [--tagway PATH]` (`--idle-seconds` under `all`, where other
/// sections may read `--seconds`): the real gateway with 16 readers and the API, none of which has
/// anything to say, and what it does meanwhile (issue 16 item 4).
///
/// It starts `tagway run` as a child (the binary next to this one unless `--tagway` says
/// otherwise) on `IdleConfiguration`, with ptys of its own whose masters stay open and silent,
/// waits until `/healthz` answers and the start has settled, then counts over the window every
/// thread's context switches and the process's CPU time from /proc, and, with strace installed,
/// the system calls by type over a second window of the same length. An idle gateway that
/// sleeps until something happens has no wake-ups; every periodic timer shows up here as its
/// thread's switches.
enum IdleBench {
    static func run(arguments: [String]) throws {
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        }
        let seconds = max(1, (option("--idle-seconds") ?? option("--seconds")).flatMap(Int.init) ?? 60)
        guard let tagway = option("--tagway") ?? siblingExecutable("tagway"), let devices = option("--devices") ?? devicesDirectory() else {
            print("== idle: skipped (no tagway binary next to tagway-bench, or no devices/ directory; give --tagway and --devices)")
            return
        }
        print("== idle: tagway run with 8 silent serial readers (ptys), 8 absent USB HID readers, a webhook sink and the API; "
              + "\(seconds) s window after readiness")
        let dir = NSTemporaryDirectory() + "tagway-idle-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ptys = try (0..<8).map { _ in try PseudoTerminal() }
        let port = try IdleHTTPProbe.freePort()
        let configuration = IdleConfiguration(dataDir: dir + "/data", devicesDir: devices, serialPorts: ptys.map(\.slavePath), apiPort: port)
        try configuration.yaml.write(toFile: dir + "/gateway.yaml", atomically: true, encoding: .utf8)

        let gateway = Process()
        gateway.executableURL = URL(fileURLWithPath: tagway)
        gateway.arguments = ["run", "--config", dir + "/gateway.yaml"]
        gateway.environment = ProcessInfo.processInfo.environment.merging([IdleConfiguration.secretVariable: "idle"]) { _, new in new }
        let logFile = dir + "/gateway.log"
        FileManager.default.createFile(atPath: logFile, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        gateway.standardOutput = log
        gateway.standardError = log
        try gateway.run()
        defer {
            if gateway.isRunning {
                gateway.terminate()
                gateway.waitUntilExit()
            }
        }
        let pid = gateway.processIdentifier
        guard IdleHTTPProbe.waitUntilAnswering(port: port, path: "/healthz", seconds: 120, while: { gateway.isRunning }) else {
            print("  the gateway did not answer /healthz on 127.0.0.1:\(port); its log:")
            print((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "(none)")
            return
        }
        // The start's own work (opening ports, the first status write, the sink's first look at
        // the log) is not idleness: let it finish.
        Thread.sleep(forTimeInterval: 3)

        guard let before = IdleProcessSample.take(pid: pid) else { return }
        Thread.sleep(forTimeInterval: Double(seconds))
        guard let after = IdleProcessSample.take(pid: pid), gateway.isRunning else {
            print("  the gateway stopped during the window")
            return
        }
        let threads = before.wakeups(until: after)
        let total = threads.reduce(0) { $0 + $1.switches }
        let perSecond = Double(total) / Double(seconds)
        let cpuPerHour = (after.cpuSeconds - before.cpuSeconds) / Double(seconds) * 3600
        print("  \(total) context switches in \(seconds) s over \(threads.count) threads: "
              + "\(String(format: "%.2f", perSecond)) wake-ups/s, \(String(format: "%.2f", cpuPerHour)) CPU s per idle hour")
        for thread in threads where thread.switches > 0 {
            print("    \(thread.name.padding(toLength: 18, withPad: " ", startingAt: 0)) tid \(thread.tid): "
                  + "\(thread.switches) (\(String(format: "%.2f", Double(thread.switches) / Double(seconds)))/s)")
        }
        BenchReport.shared.record(id: "idle.wakeups_per_second",
                                  label: "idle: wake-ups/s (context switches of all threads), 16 readers + API",
                                  value: perSecond, unit: "/s", better: .lower, goal: 0)
        BenchReport.shared.record(id: "idle.cpu_seconds_per_hour", label: "idle: CPU seconds per idle hour",
                                  value: cpuPerHour, unit: "s/h", better: .lower)
        if IdleSyscallCount.straceAvailable {
            if let calls = IdleSyscallCount.measure(pid: pid, seconds: seconds) {
                let all = calls.reduce(0) { $0 + $1.calls }
                print("  strace -f -c over another \(seconds) s: \(all) system calls"
                      + (calls.isEmpty ? "" : ": " + calls.prefix(12).map { "\($0.name) \($0.calls)" }.joined(separator: ", ")))
                BenchReport.shared.record(id: "idle.syscalls_per_second", label: "idle: system calls/s (strace -f -c)",
                                          value: Double(all) / Double(seconds), unit: "/s", better: .lower, goal: 0)
            } else {
                print("  strace could not attach (ptrace not permitted?)")
            }
        }
        withExtendedLifetime(ptys) {}
    }

    /// `name` in the directory of this executable (`.build/release/tagway` for tagway-bench).
    static func siblingExecutable(_ name: String) -> String? {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = ((me as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The repository's devices/, looked for from the working directory and from this executable upwards.
    static func devicesDirectory() -> String? {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        for start in [FileManager.default.currentDirectoryPath, me] {
            var dir = start
            while dir != "/" && !dir.isEmpty {
                let candidate = (dir as NSString).appendingPathComponent("devices")
                if FileManager.default.fileExists(atPath: candidate + "/generic/serial-barcode.yaml") { return candidate }
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        return nil
    }
}
