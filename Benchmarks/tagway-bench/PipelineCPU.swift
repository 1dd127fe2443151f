import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The two processes of `tagway-bench pipeline` on their own CPUs, and the one clock they share.
///
/// "One core" in issue 16 means the gateway side alone on one CPU: the gateway process (every
/// thread it has, and those it makes later, which inherit the mask) on CPU 0, the feeder on CPU 1.
/// Swift's Glibc module does not declare `sched_setaffinity` (a GNU extension), so it is looked
/// up in libc at run time.
enum PipelineCPU {
    private typealias SetAffinity = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32

    /// Pins every thread of this process to `cpu`; false when the call is unavailable or refused
    /// (the figures then say the run was not pinned).
    @discardableResult
    static func pinProcess(to cpu: Int) -> Bool {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_setaffinity") else { return false }
        let setAffinity = unsafeBitCast(symbol, to: SetAffinity.self)
        var mask = [UInt64](repeating: 0, count: 16)
        guard cpu >= 0, cpu < mask.count * 64 else { return false }
        mask[cpu / 64] = 1 << UInt64(cpu % 64)
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")).map { $0.compactMap { pid_t($0) } } ?? [0]
        var pinned = true
        for thread in threads {
            let result = mask.withUnsafeBytes { bytes in bytes.baseAddress.map { setAffinity(thread, bytes.count, $0) } ?? -1 }
            if result != 0 { pinned = false }
        }
        return pinned
    }

    /// CLOCK_MONOTONIC in nanoseconds: the same clock in both processes (Swift's ContinuousClock
    /// is CLOCK_BOOTTIME on Linux, which is not guaranteed to match across the two readings).
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// Process CPU seconds (user + system, all threads) from getrusage: finer than /proc's ticks.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
