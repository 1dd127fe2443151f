import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Wakes when files in one directory change, without polling: inotify on the directory.
///
/// The gateway's one inotify watcher. Watching the directory, not the file, is deliberate:
/// editors and config management replace a file by rename, which a watch on the file itself
/// loses after the first save. With `file` set, only events that name it count (a config kept
/// in the data directory must not wake on every write of the event log's WAL); without it, any
/// write counts (`tagway events tail` wakes on the WAL of another process's log).
public final class FileChangeWatcher: @unchecked Sendable {
    // @unchecked: every stored property is a `let` set in init; DispatchSource may be cancelled
    // from any thread, and the stream's continuation is Sendable.
    public struct Events: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// A file written and closed (a save in place).
        public static let closedAfterWrite = Events(rawValue: UInt32(IN_CLOSE_WRITE))
        /// Any write, before close (a log's WAL, which SQLite keeps open).
        public static let modified = Events(rawValue: UInt32(IN_MODIFY))
        /// A file created, or renamed into the directory (an atomic replace).
        public static let created = Events(rawValue: UInt32(IN_CREATE | IN_MOVED_TO))
    }

    /// Yields once per burst of changes; ends when the watcher stops.
    public let changes: AsyncStream<Void>
    private let source: any DispatchSourceRead

    /// Watches `directory` for `events`, counting only those that name `file` when it is given.
    public init(directory: String, file: String? = nil, events: Events) throws(FileChangeWatcherError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw FileChangeWatcherError(directory: directory, errno: errno) }
        guard inotify_add_watch(fd, directory, events.rawValue) >= 0 else {
            let error = FileChangeWatcherError(directory: directory, errno: errno)
            close(fd)
            throw error
        }
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        changes = stream
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var touched = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                touched = touched || file.map { InotifyRecords.names(in: buffer[..<count]).contains($0) } ?? true
            }
            if touched { continuation.yield() }
        }
        source.setCancelHandler {
            close(fd)
            continuation.finish()
        }
        source.activate()
    }

    /// Watches the directory of `path` for a replace or rewrite of that one file.
    public convenience init(file path: String) throws(FileChangeWatcherError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        try self.init(directory: directory, file: name, events: [.closedAfterWrite, .created])
    }

    /// Ends `changes`; safe to call more than once.
    public func stop() {
        if !source.isCancelled { source.cancel() }
    }
}

/// inotify refused a watch (no such directory, the per-user watch limit reached).
public struct FileChangeWatcherError: Error, Sendable, CustomStringConvertible {
    public var directory: String
    public var errno: Int32

    public var description: String { "cannot watch \(directory): \(String(cString: strerror(errno)))" }
}
