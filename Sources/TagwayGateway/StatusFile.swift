#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// Writes status.json (in the runtime directory, linked from `<dataDir>/status.json`: see
/// `StatusLocation`) when what it shows changed (at most every 2 s), atomically (temp file +
/// rename), so `tagway status` can show a running gateway's readers, sinks and log without
/// talking to it.
///
/// It reads only in-memory boards (never the database), so a stuck or full log cannot freeze it;
/// the boards ring `changes`, so an idle gateway does not rewrite an unchanged file (issue 16).
/// A write that fails (disk full, read-only, no descriptors) is logged once per episode and
/// retried every 2 s; `tagway status` calls a file stale when the log has moved past it.
struct StatusFile: Sendable {
    static let fileName = "status.json"
    /// Our own temp name: Foundation's atomic write leaves `.dat.nosync*` files behind a crash.
    static let temporaryName = ".status.json.tmp"
    let path: String
    let temporary: String
    let gatewayID: String
    let health: HealthBoard
    let sinks: SinkStatusBoard
    let log: EventLog
    let writeHealth: LogWriteHealth
    let logger: Logger
    let clock: @Sendable () -> Timestamp

    init(location: StatusLocation, gatewayID: String, health: HealthBoard, sinks: SinkStatusBoard, log: EventLog,
         writeHealth: LogWriteHealth, logger: Logger, clock: @escaping @Sendable () -> Timestamp) {
        path = location.path
        temporary = location.temporary
        self.gatewayID = gatewayID
        self.health = health
        self.sinks = sinks
        self.log = log
        self.writeHealth = writeHealth
        self.logger = logger
        self.clock = clock
    }

    /// Writes the file when `changes` rings (see `StatusFileSchedule`) until cancelled, and logs
    /// one line per sink every `logEvery` writes.
    func run(changes: Wakeup, spacing: Duration = .seconds(2), logEvery: Int = 30, timers: GatewayClock = .system) async {
        StatusFileWriter.removeStaleTemporaries(in: (path as NSString).deletingLastPathComponent)
        let watch = timers.stopwatch()
        var schedule = StatusFileSchedule(spacing: spacing)
        var action = schedule.start(now: watch.elapsed())
        var writes = 0
        var failing = false
        while !Task.isCancelled {
            switch action {
            case .write:
                // Rings until now are in this snapshot; one during it makes the next write due.
                changes.forget()
                do {
                    try StatusFileWriter.replace(path, via: temporary, with: snapshot() + "\n")
                    if failing { logger.notice("\(path): written again") }
                    failing = false
                } catch {
                    if !failing { logger.error("\(error); status is not updated until this is fixed (retrying every \(spacing))") }
                    failing = true
                }
                if writes % logEvery == 0 { logSinks() }
                writes += 1
                action = schedule.wrote(succeeded: !failing, now: watch.elapsed())
            case .waitForChange:
                let rang = await changes.wait(timeout: nil)
                if Task.isCancelled || !rang { break }
                action = schedule.changed(now: watch.elapsed())
            case .sleep(let until):
                guard await watch.sleep(untilElapsed: until), !Task.isCancelled else { break }
                action = schedule.timerFired(now: watch.elapsed())
            }
        }
        write()
    }

    /// One write, its failure logged (the last write at a stop).
    func write() {
        do { try StatusFileWriter.replace(path, via: temporary, with: snapshot() + "\n") } catch { logger.error("\(error)") }
    }

    /// The sink part of the status in the logs, for installations that only collect logs.
    func logSinks() {
        for sink in sinks.snapshot {
            var line = "sink \(sink.id) (\(sink.kind)): \(sink.state.rawValue), backlog \(sink.backlog), delivered \(sink.delivered), "
            line += "retried \(sink.retried), failed \(sink.failed), last success \(sink.lastSuccess?.iso8601 ?? "never")"
            if let error = sink.lastError { line += ", last error \(error)" }
            if sink.state == .stopped || sink.state == .retrying { logger.warning("\(line)") } else { logger.info("\(line)") }
        }
    }

    func snapshot() -> String { report.json() }

    /// The object this file holds; `GET /v1/status` answers the same with its extras.
    var report: StatusReport {
        StatusReport(gatewayID: gatewayID, health: health, sinks: sinks, log: log, writeHealth: writeHealth, clock: clock)
    }
}
