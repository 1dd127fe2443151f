import Foundation

/// Every thread's stack in this test process, for the message of a deadline that ran out.
///
/// Why: a stall that CI shows once in ten runs, in a process that is otherwise idle, can only be
/// read from the stacks of that run (which thread waits on what); the log keeps nothing else.
/// gdb attaches for a moment and detaches. It needs ptrace: root, as CI runs, or a Yama
/// `ptrace_scope` of 0. What it could not do is said instead of the stacks.
public enum ThreadStacks {
    public static func ofThisProcess() -> String {
        let pid = ProcessInfo.processInfo.processIdentifier
        // Into a file, not a pipe: gdb stops every thread of this process while it writes, the
        // ones that would drain a pipe too, and a full pipe would then stop gdb for good.
        let file = NSTemporaryDirectory() + "tagway-thread-stacks-\(pid)-\(UInt32.random(in: 0 ... .max)).txt"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = "exec gdb -q -batch -p \(pid) -ex 'thread apply all bt 25' > '\(file)' 2>&1"
        guard let run = try? ExternalCommand.run(executable: URL(fileURLWithPath: "/bin/sh"), ["-c", script], timeout: .seconds(60)) else {
            return "(no thread stacks: gdb could not be run)"
        }
        let output = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        // The frames only: gdb's notes about symbols and DWARF are many lines and say nothing here.
        let frames = output.split(separator: "\n").filter { $0.hasPrefix("Thread ") || $0.hasPrefix("#") }
        guard !frames.isEmpty else { return "(no thread stacks: gdb exit \(run.status): \(output.suffix(500)))" }
        return frames.map { String($0.prefix(240)) }.joined(separator: "\n")
    }
}
