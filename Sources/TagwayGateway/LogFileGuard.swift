import Dispatch
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif
import TagwayEventLog
import TagwayRuntime

/// Stops the gateway when its log file is deleted or replaced while no events are written, so
/// the loss is found at once, not at the next movement.
///
/// It looks when the data directory changes (inotify: a file created, deleted or renamed there,
/// or the directory itself moved or deleted), which is how a log is lost; it used to look every
/// 2 s, which woke an idle gateway for nothing (issue 16). Where inotify cannot be had (no
/// watches left), it falls back to looking every `interval`, and says so.
struct LogFileGuard: Sendable {
    let log: EventLog
    let stop: FatalStop

    func run(every interval: Duration = .seconds(2), timers: GatewayClock = .system, logger: Logger? = nil) async {
        let directory = (log.path as NSString).deletingLastPathComponent
        let changes = DirectoryChanges(directory)
        if changes == nil { logger?.warning("\(directory): no inotify watch; the log file is checked every \(interval) instead") }
        defer { changes?.cancel() }
        while !Task.isCancelled {
            do {
                try log.verifyFile()
            } catch {
                stop.report(error)
                return
            }
            if let changes {
                guard await changes.wait() else { return }
            } else {
                _ = await timers.sleep(for: interval)
            }
        }
    }
}

/// An inotify watch on one directory whose events ring a `Wakeup`; the kernel wakes the dispatch
/// source only when something happens there. With `names`, only events naming one of those
/// files count (the log's WAL, not status.json's temp beside it).
// @unchecked: both properties are `let`s set in init; a dispatch source may be cancelled from any thread.
final class DirectoryChanges: @unchecked Sendable {
    private let source: any DispatchSourceRead
    private let wakeup = Wakeup()

    /// A file created, deleted or renamed in the directory, or the directory itself moved or deleted.
    static let entries = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
    /// A file in the directory written to.
    static let writes = UInt32(IN_MODIFY)

    init?(_ directory: String, mask: UInt32 = DirectoryChanges.entries, names: Set<String>? = nil) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            close(fd)
            return nil
        }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
        source.setEventHandler { [wakeup] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            var touched = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                touched = touched || names.map { !$0.isDisjoint(with: Self.names(in: buffer[..<count])) } ?? true
            }
            if touched { wakeup.ring() }
        }
        source.setCancelHandler { close(fd) }
        source.activate()
    }

    /// True after a change (or one since the last wait), false when the task was cancelled.
    func wait() async -> Bool { await wakeup.wait(timeout: nil) }

    func cancel() { source.cancel() }

    /// The names in a buffer of `struct inotify_event` records (wd, mask, cookie, len: four
    /// 32-bit words in the machine's order, little-endian on every Linux Tagway runs on; then
    /// `len` bytes of NUL-padded name). A record cut short ends the walk.
    static func names(in bytes: ArraySlice<UInt8>) -> [String] {
        var names: [String] = []
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= 16 {
            let length = (12..<16).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * ($1 - 12)) }
            let start = offset + 16
            guard length <= bytes.endIndex - start else { break }
            names.append(String(decoding: bytes[start..<(start + length)].prefix { $0 != 0 }, as: UTF8.self))
            offset = start + length
        }
        return names
    }
}
