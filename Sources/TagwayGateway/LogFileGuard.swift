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
/// source only when something happens there.
// @unchecked: both properties are `let`s set in init; a dispatch source may be cancelled from any thread.
final class DirectoryChanges: @unchecked Sendable {
    private let source: any DispatchSourceRead
    private let wakeup = Wakeup()

    init?(_ directory: String) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            close(fd)
            return nil
        }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
        source.setEventHandler { [wakeup] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
            wakeup.ring()
        }
        source.setCancelHandler { close(fd) }
        source.activate()
    }

    /// True after a change (or one since the last wait), false when the task was cancelled.
    func wait() async -> Bool { await wakeup.wait(timeout: nil) }

    func cancel() { source.cancel() }
}
