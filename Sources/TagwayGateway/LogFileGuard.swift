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
