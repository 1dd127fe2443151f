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
        // Written and synced once first: SQLite reuses its WAL from the start after a checkpoint,
        // so a commit overwrites allocated blocks; a growing file would add the journal's
        // metadata commit to every sync.
        for index in 0..<256 { _ = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(index * 4096)) } }
        guard fsync(fd) == 0 else { return nil }
        for index in 0..<count {
            // Overwrites in a 1 MiB ring, like a WAL after its first checkpoint.
            let offset = off_t((index % 256) * 4096)
            let start = PipelineCPU.monotonicNanoseconds()
            let written = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
            guard written == page.count, fdatasync(fd) == 0 else { return nil }
            histogram.record((PipelineCPU.monotonicNanoseconds() - start) / 1_000)
        }
        return histogram
    }
}
