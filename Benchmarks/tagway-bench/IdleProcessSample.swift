import Foundation

/// What /proc says about one process at one moment: each thread's context switches and name,
/// and the CPU time of the whole process.
///
/// A context switch is the cheapest honest count of wake-ups here: a thread that sleeps in
/// epoll_wait, futex or poll and is woken (by a timer, a byte or another thread) is switched in
/// once, voluntarily or not. `perf stat` counters do not work on this VM; /proc always does.
struct IdleProcessSample {
    struct Thread {
        var name: String
        var switches: Int
    }

    /// Threads by id.
    var threads: [Int: Thread]
    /// utime + stime, in seconds.
    var cpuSeconds: Double

    static func take(pid: Int32) -> IdleProcessSample? {
        let base = "/proc/\(pid)"
        guard let stat = try? String(contentsOfFile: base + "/stat", encoding: .utf8),
              let cpu = cpuSeconds(stat: stat),
              let tids = try? FileManager.default.contentsOfDirectory(atPath: base + "/task") else { return nil }
        var threads: [Int: Thread] = [:]
        for tid in tids.compactMap(Int.init) {
            let task = "\(base)/task/\(tid)"
            guard let status = try? String(contentsOfFile: task + "/status", encoding: .utf8) else { continue }  // exited meanwhile
            let name = ((try? String(contentsOfFile: task + "/comm", encoding: .utf8)) ?? "?")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            threads[tid] = Thread(name: name, switches: switches(status: status))
        }
        return IdleProcessSample(threads: threads, cpuSeconds: cpu)
    }

    /// voluntary_ctxt_switches + nonvoluntary_ctxt_switches of one /proc/…/status text.
    static func switches(status: String) -> Int {
        var total = 0
        for line in status.split(separator: "\n") {
            if line.hasPrefix("voluntary_ctxt_switches:") || line.hasPrefix("nonvoluntary_ctxt_switches:"),
               let value = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                total += value
            }
        }
        return total
    }

    /// Fields 14 and 15 (utime, stime) of /proc/PID/stat, counted after the command's closing
    /// parenthesis (a command may contain spaces), in seconds.
    static func cpuSeconds(stat: String) -> Double? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3), so utime (field 14) is fields[11].
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Switches per thread between `self` and a later sample, largest first. A thread born in the
    /// window counts from zero; one that ended in it is missing (its last switches are lost).
    func wakeups(until later: IdleProcessSample) -> [(tid: Int, name: String, switches: Int)] {
        later.threads.map { tid, thread in
            (tid, thread.name, thread.switches - (threads[tid]?.switches ?? 0))
        }.sorted { $0.switches > $1.switches }
    }
}
