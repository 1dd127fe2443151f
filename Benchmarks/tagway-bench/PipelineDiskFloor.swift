import Foundation
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// The floor under read→durable with `durability: full`: how long this disk takes to make 4 KiB
/// durable (a write then fdatasync, in a loop, on a file in the directory the log is in). A commit
/// of SQLite's WAL with synchronous=FULL is at least one such sync, so no p99 of the pipeline can
/// be below this one's.
enum PipelineDiskFloor {
    static func measure(directory: String, count: Int = 400) -> Histogram<UInt64>? {
        let path = directory + "/fdatasync-probe"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer {
            close(fd)
            unlink(path)
        }
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        let page = [UInt8](repeating: 0xA5, count: 4096)
        for index in 0..<count {
            // Appends like a WAL (the file grows), in a 1 MiB ring so the probe stays small.
            let offset = off_t((index % 256) * 4096)
            let start = PipelineCPU.monotonicNanoseconds()
            let written = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
            guard written == page.count, fdatasync(fd) == 0 else { return nil }
            histogram.record((PipelineCPU.monotonicNanoseconds() - start) / 1_000)
        }
        return histogram
    }
}
