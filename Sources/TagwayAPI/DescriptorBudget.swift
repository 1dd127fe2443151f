import Foundation
import Logging
import TagwayModel

/// How many connections the pull API may hold so that clients can never take the descriptors
/// the gateway itself needs: a reader reopening its port after an unplug, the event log, the
/// status file, the sinks' sockets. Pure: the limit and the descriptors in use are passed in.
public struct DescriptorBudget: Sendable, Equatable {
    /// Kept free beyond what is open at start: SQLite's connections and journals, libusb and
    /// udev, the sinks' sockets, the status file's temporary, a config reload.
    public static let baseReserve = 64
    /// A reader's port, its reopen while the old one closes, a HID device's handles.
    public static let perReader = 8
    /// NIO accepts up to 4 connections per wake-up, so the API can go 3 over its limit.
    public static let acceptOvershoot = 3
    /// The API never holds more than this many connections, whatever the limit: libmosquitto
    /// waits on its socket with select(), which fails (or worse) for a descriptor at or above
    /// FD_SETSIZE (1024), so the gateway keeps its descriptors below that whenever it can.
    public static let apiCeiling = 512

    /// The soft RLIMIT_NOFILE the budget was made for.
    public let limit: Int
    /// Descriptors open when the budget was made.
    public let inUse: Int
    public let reserve: Int
    /// Connections the API may hold at once (0: the limit leaves none).
    public let apiConnections: Int

    public init(limit: Int, inUse: Int, readers: Int) {
        self.limit = limit
        self.inUse = inUse
        let (perReaders, overflow) = max(0, readers).multipliedReportingOverflow(by: Self.perReader)
        reserve = overflow ? .max : Self.baseReserve.saturatingAdd(perReaders)
        let spare = limit.saturatingSubtract(max(0, inUse)).saturatingSubtract(reserve)
            .saturatingSubtract(Self.acceptOvershoot)
        apiConnections = min(Self.apiCeiling, max(0, spare))
    }

    public var description: String {
        "descriptor limit \(limit), \(inUse) open at start, \(reserve) reserved for readers and the log, pull API up to \(apiConnections) connections"
    }
}

/// The process's descriptor limit, read and raised (the edge of `DescriptorBudget`).
public enum DescriptorLimit {
    /// Raises the soft RLIMIT_NOFILE to the hard limit (a service manager's default soft limit
    /// of 1024 is far below what it allows) and returns the soft limit in force afterwards.
    @discardableResult
    public static func raiseToHard(logger: Logger) -> Int {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return 1024 }
        let before = limits.rlim_cur
        // An unlimited hard limit cannot be the soft one for descriptors: the kernel caps it at nr_open.
        let target = limits.rlim_max == rlim_t.max ? nrOpen() : limits.rlim_max
        if target > before {
            var raised = limits
            raised.rlim_cur = target
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                logger.info("descriptor limit raised from \(before) to \(target) (the hard limit)")
                return clamp(target)
            }
            logger.warning("descriptor limit stays \(before): raising it to \(target) failed (\(String(cString: strerror(errno))))")
        }
        return clamp(before)
    }

    /// Descriptors open now (entries of /proc/self/fd, less the one reading it); nil when it
    /// cannot be read.
    public static func openCount() -> Int? {
        guard let dir = opendir("/proc/self/fd") else { return nil }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            if entry.pointee.d_name.0 != 46 { count += 1 }  // skips "." and ".."
        }
        return count - 1
    }

    /// The budget for a gateway with `readers` readers, logged once at start.
    public static func budget(readers: Int, logger: Logger) -> DescriptorBudget {
        var limits = rlimit()
        let soft = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 ? clamp(limits.rlim_cur) : 1024
        let budget = DescriptorBudget(limit: soft, inUse: openCount() ?? 0, readers: readers)
        if budget.apiConnections < 8 {
            logger.warning("\(budget.description): raise LimitNOFILE (or ulimit -n) so the pull API can serve")
        } else {
            logger.info("\(budget.description)")
        }
        return budget
    }

    private static func nrOpen() -> rlim_t {
        guard let text = try? String(contentsOfFile: "/proc/sys/fs/nr_open", encoding: .utf8),
              let value = rlim_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return 1 << 20 }
        return value
    }

    private static func clamp(_ value: rlim_t) -> Int { value >= rlim_t(Int.max) ? .max : Int(value) }
}
