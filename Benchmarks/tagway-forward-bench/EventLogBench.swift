import BenchReport
import Foundation
import TagwayEventLog
import TagwayModel

/// `tagway-forward-bench log [--log-events N] [--batch B]` (issue 16 item 3): the same N events
/// (1,000,000 by default) written (a) through `EventLog.append(_:state:)` in appends of B events
/// with their asset rows, one append in flight at a time, as `Pipeline.write` hands them over,
/// and (b) with plain SQLite (the C API, `PlainSQLiteLog`) in one transaction, in the same run,
/// with the same journal mode and `synchronous`. Two more plain runs split the difference: the
/// same events with the asset rows (one transaction), then with a commit every B events as the
/// log makes. Rates per wall second and per CPU second of the process (SQLite writes on GRDB's
/// thread, so the process is what counts); the events are made before the clock starts, in
/// chunks, so generating them is in neither figure. Figures are printed and recorded, never asserted.
enum EventLogBench {
    struct Figures {
        var events = 0
        var seconds = 0.0
        var cpuSeconds = 0.0
        var perSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
        var perCPUSecond: Double { cpuSeconds > 0 ? Double(events) / cpuSeconds : 0 }
    }

    /// Wall and CPU time of the timed stretches only.
    struct Meter {
        private(set) var figures = Figures()

        mutating func time(events: Int, _ body: () async throws -> Void) async rethrows {
            let (wall, cpu) = (ContinuousClock.now, processCPUSeconds())
            try await body()
            figures.seconds += seconds(ContinuousClock.now - wall)
            figures.cpuSeconds += processCPUSeconds() - cpu
            figures.events += events
        }
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Events are made in chunks of about 100,000 (whole appends), outside the timed stretches.
    static func chunks(total: Int, batch: Int) -> [Range<Int>] {
        let chunk = max(batch, 100_000 / batch * batch)
        return stride(from: 0, to: total, by: chunk).map { $0..<min($0 + chunk, total) }
    }

    static func throughLog(total: Int, batch: Int, durability: EventLog.Durability) async throws -> (Figures, CommitBatchSizes) {
        let dir = temporaryDirectory("log")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: durability)
        var meter = Meter()
        for range in chunks(total: total, batch: batch) {
            let batches = EventLogWorkload.batches(range, size: batch)
            try await meter.time(events: range.count) {
                for b in batches { _ = try await log.append(b.events, state: b.state) }
            }
        }
        let sizes = log.commitBatchSizes
        try log.close()
        return (meter.figures, sizes)
    }

    /// `rows`: write the asset rows too; `commitEvery`: a transaction per append instead of one.
    static func plain(total: Int, batch: Int, durability: EventLog.Durability, rows: Bool, commitEvery: Bool) async throws -> Figures {
        let dir = temporaryDirectory("plain")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try PlainSQLiteLog(path: dir + "/plain.sqlite", synchronous: durability == .full ? "FULL" : "NORMAL",
                                    checkpointPages: 4_000)
        var meter = Meter()
        if !commitEvery { try await meter.time(events: 0) { try db.exec("BEGIN") } }
        for range in chunks(total: total, batch: batch) {
            let batches = EventLogWorkload.batches(range, size: batch)
            try await meter.time(events: range.count) {
                for b in batches {
                    if commitEvery { try db.exec("BEGIN") }
                    let seq = try db.insert(b.events)
                    if rows { try db.apply(b.state, seq: seq) }
                    if commitEvery { try db.exec("COMMIT") }
                }
            }
        }
        if !commitEvery { try await meter.time(events: 0) { try db.exec("COMMIT") } }
        return meter.figures
    }

    static func main(arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let total = max(1, option("--log-events", 1_000_000)), batch = max(1, option("--batch", defaultBatch))
        print("== log: \(total) events, (a) EventLog.append in appends of \(batch) events with their asset rows, one in flight;"
              + " (b) plain SQLite C API, same schema and pragmas, one transaction")
        for durability in EventLog.Durability.allCases {
            let sync = durability == .full ? "FULL" : "NORMAL"
            let (a, sizes) = try await throughLog(total: total, batch: batch, durability: durability)
            let b = try await plain(total: total, batch: batch, durability: durability, rows: false, commitEvery: false)
            let bRows = try await plain(total: total, batch: batch, durability: durability, rows: true, commitEvery: false)
            let bCommits = try await plain(total: total, batch: batch, durability: durability, rows: true, commitEvery: true)
            func line(_ name: String, _ f: Figures) {
                print("  synchronous=\(sync.padding(toLength: 6, withPad: " ", startingAt: 0)) \(name.padding(toLength: 56, withPad: " ", startingAt: 0))"
                      + " \(String(format: "%9.0f", f.perSecond)) events/s \(String(format: "%9.0f", f.perCPUSecond)) events/CPU-s"
                      + "  (\(String(format: "%.2f", f.seconds)) s, \(String(format: "%.2f", f.cpuSeconds)) CPU-s)")
            }
            line("(a) EventLog, appends of \(batch) + asset rows", a)
            line("(b) plain SQLite, events, one transaction", b)
            line("    plain SQLite, events + asset rows, one transaction", bRows)
            line("    plain SQLite, events + asset rows, commit per \(batch)", bCommits)
            let ratio = b.perSecond > 0 ? a.perSecond / b.perSecond : 0
            let cpuRatio = b.perCPUSecond > 0 ? a.perCPUSecond / b.perCPUSecond : 0
            print("  synchronous=\(sync.padding(toLength: 6, withPad: " ", startingAt: 0)) (a)/(b) \(String(format: "%.2f", ratio)) per wall second,"
                  + " \(String(format: "%.2f", cpuRatio)) per CPU second (goal ≥ 0.5); commits: \(sizes.summary)")
            record(durability: durability, batch: batch, a: a, b: b, bRows: bRows, bCommits: bCommits)
        }
    }

    /// What the pipeline hands the log: it keeps one append in flight and writes everything made
    /// meanwhile in the next (`Pipeline.write`), so a batch is what one commit's time gathers.
    /// Under `pipeline` (EventLog.commitBatchSizes), 4 tags per ingest gave a mean of 5.8 events
    /// per commit (p50 ≤4, p99 ≤64); 64 tags per ingest a mean of 93 (p50 ≤64, p99 ≤1024). 64 is
    /// a loaded gateway's typical append; `--batch` measures others.
    static let defaultBatch = 64

    static func record(durability: EventLog.Durability, batch: Int, a: Figures, b: Figures, bRows: Figures, bCommits: Figures) {
        let sync = durability == .full ? "FULL" : "NORMAL"
        let prefix = durability == .full ? "eventlog" : "eventlog.sync_normal"
        let report = BenchReport.shared
        report.record(id: "\(prefix).batched.events_per_second", label: "log (a) EventLog, appends of \(batch) + asset rows, synchronous=\(sync)",
                      value: a.perSecond, unit: "events/s", better: .higher)
        report.record(id: "\(prefix).batched.events_per_cpu_second", label: "log (a) EventLog, appends of \(batch), synchronous=\(sync), per CPU-s",
                      value: a.perCPUSecond, unit: "events/CPU-s", better: .higher)
        report.record(id: "\(prefix).plain_sqlite.events_per_second", label: "log (b) plain SQLite, one transaction, synchronous=\(sync)",
                      value: b.perSecond, unit: "events/s", better: .higher)
        report.record(id: "\(prefix).plain_sqlite.events_per_cpu_second", label: "log (b) plain SQLite, one transaction, synchronous=\(sync), per CPU-s",
                      value: b.perCPUSecond, unit: "events/CPU-s", better: .higher)
        report.record(id: "\(prefix).plain_sqlite_rows.events_per_second", label: "log plain SQLite + asset rows, one transaction, synchronous=\(sync)",
                      value: bRows.perSecond, unit: "events/s", better: .higher)
        report.record(id: "\(prefix).plain_sqlite_commits.events_per_second",
                      label: "log plain SQLite + asset rows, commit per \(batch), synchronous=\(sync)",
                      value: bCommits.perSecond, unit: "events/s", better: .higher)
        report.record(id: "\(prefix).ratio_to_plain_sqlite", label: "log (a)/(b), appends of \(batch), synchronous=\(sync)",
                      value: b.perSecond > 0 ? a.perSecond / b.perSecond : 0, unit: "ratio", better: .higher, goal: 0.5)
        // The same ratio per CPU second: comparable when other work shares the machine.
        report.record(id: "\(prefix).ratio_to_plain_sqlite_per_cpu", label: "log (a)/(b) per CPU-s, appends of \(batch), synchronous=\(sync)",
                      value: b.perCPUSecond > 0 ? a.perCPUSecond / b.perCPUSecond : 0, unit: "ratio", better: .higher, goal: 0.5)
    }
}
