#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The device and inode of a file, to tell the file the log has open from whatever is now at its
/// path: an operator or a cleanup job deleting or replacing `events.sqlite` (or its WAL) leaves
/// SQLite writing into an unlinked file whose events are gone at the next start.
struct LogFileIdentity: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64

    /// The identity of what is at `path` now, or nil when nothing is.
    static func current(_ path: String) -> LogFileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return LogFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// The identities recorded at open; `verify` costs one `stat` per file, so it runs once per
/// group-commit transaction and on the status tick, never per event.
struct LogFileWatch: Sendable {
    let files: [(path: String, identity: LogFileIdentity)]

    /// Records the log and, when it exists, its WAL.
    init(path: String) {
        files = [path, path + "-wal"].compactMap { file in LogFileIdentity.current(file).map { (file, $0) } }
    }

    func verify() throws(EventLogError) {
        for (file, identity) in files {
            guard let now = LogFileIdentity.current(file) else { throw .replaced(path: file, detail: "deleted") }
            if now != identity { throw .replaced(path: file, detail: "replaced by another file") }
        }
    }
}
