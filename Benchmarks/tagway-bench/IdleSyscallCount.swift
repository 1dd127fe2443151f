import Foundation

/// The system calls a process makes over a window, by type, from `strace -f -c -p PID`.
///
/// A second window, after the context switches are counted: strace stops the tracee at every
/// call, which adds switches of its own. It names what a wake-up does (epoll_wait returning,
/// a futex, a clock read), which a switch count cannot.
enum IdleSyscallCount {
    static var straceAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") }

    /// Calls by name over `seconds`, or nil when strace could not attach.
    static func measure(pid: Int32, seconds: Int) -> [(name: String, calls: Int)]? {
        let output = NSTemporaryDirectory() + "tagway-idle-strace-\(pid).txt"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let strace = Process()
        strace.executableURL = URL(fileURLWithPath: "/usr/bin/strace")
        strace.arguments = ["-f", "-c", "-q", "-o", output, "-p", "\(pid)"]
        strace.standardError = FileHandle.nullDevice
        do { try strace.run() } catch { return nil }
        Thread.sleep(forTimeInterval: Double(seconds))
        strace.interrupt()
        strace.waitUntilExit()
        guard let text = try? String(contentsOfFile: output, encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// The rows of strace's summary table (`% time seconds usecs/call calls [errors] syscall`),
    /// without the total.
    static func parse(_ text: String) -> [(name: String, calls: Int)] {
        var rows: [(name: String, calls: Int)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, Double(fields[0]) != nil, let name = fields.last, name != "total",
                  let calls = Int(fields[3]) else { continue }
            rows.append((String(name), calls))
        }
        return rows.sorted { $0.calls > $1.calls }
    }
}
