import Foundation

/// The process's own figures, read from /proc when `/metrics` is scraped: what the usual
/// `process_*` metrics of Prometheus clients report (resident memory, CPU, descriptors, start).
public struct ProcessFigures: Sendable, Hashable {
    public var residentBytes: Int
    public var virtualBytes: Int
    /// User plus system CPU time since the process started.
    public var cpuSeconds: Double
    /// Seconds since the Unix epoch.
    public var startTimeSeconds: Double
    public var openDescriptors: Int
    /// The soft limit on open descriptors (nil when it cannot be read, or is unlimited).
    public var maxDescriptors: Int?

    /// Reads `/proc/self`; nil where there is no /proc (not Linux, or not mounted).
    public static func current() -> ProcessFigures? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let procStat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let boot = bootTime(procStat: procStat),
              var figures = parse(stat: stat, bootTime: boot, ticksPerSecond: Int(sysconf(Int32(_SC_CLK_TCK))),
                                  pageSize: Int(sysconf(Int32(_SC_PAGESIZE))))
        else { return nil }
        figures.openDescriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limits = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0, limits.rlim_cur != rlim_t.max {
            figures.maxDescriptors = Int(exactly: limits.rlim_cur)
        }
        return figures
    }

    /// Parses `/proc/[pid]/stat` (proc(5)). The command name, in parentheses, may itself hold
    /// spaces and parentheses, so fields are counted from the last `)`. Nil for text that is not
    /// a stat line, or figures that do not fit (a page count times the page size that overflows).
    static func parse(stat: String, bootTime: Int, ticksPerSecond: Int, pageSize: Int) -> ProcessFigures? {
        guard ticksPerSecond > 0, pageSize > 0, let close = stat.lastIndex(of: ")") else { return nil }
        // After the name: state (field 3) is index 0, so field N is index N - 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func number(_ field: Int) -> Int? {
            guard fields.count > field - 3, let value = Int(fields[field - 3]), value >= 0 else { return nil }
            return value
        }
        guard let utime = number(14), let stime = number(15), let startTicks = number(22), let vsize = number(23),
              let rssPages = number(24) else { return nil }
        let (resident, overflow) = rssPages.multipliedReportingOverflow(by: pageSize)
        guard !overflow else { return nil }
        let ticks = Double(ticksPerSecond)
        return ProcessFigures(residentBytes: resident, virtualBytes: vsize,
                              cpuSeconds: (Double(utime) + Double(stime)) / ticks,
                              startTimeSeconds: Double(bootTime) + Double(startTicks) / ticks,
                              openDescriptors: 0, maxDescriptors: nil)
    }

    /// The boot time (`btime`, seconds since the epoch) from `/proc/stat`.
    static func bootTime(procStat: String) -> Int? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
