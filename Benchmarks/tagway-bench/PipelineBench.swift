import BenchReport
import Foundation
import Histogram

/// `tagway-bench pipeline [--rate R [--state-interval 1s]] [--seconds S] [--reads-per-tag K] [--ramp R1,R2,…] [--no-ramp] [--data-dir DIR]`:
/// read→durable through the whole gateway (issue 16 item 2).
///
/// Eight emulated serial readers (3 EM4100, 3 M100 UHF, 2 barcode scanners) in a feeder process
/// pinned to CPU 1 write real frames into ptys; the real `Gateway` in this process, pinned to
/// CPU 0 (termios, decoders, pipeline actor, movement engine, SQLite log with durability full)
/// reads them, and a consumer follows the log. Figures:
/// - the floors: 4 KiB write + fdatasync on the log's disk, one frame through a pty, p50/p99;
/// - read→durable p50/p99/p99.9/max at 1,000 and 10,000 reads/s (10 reads per tag: 1 in 10 reads
///   is a tag's first, which makes the `arrived` measured), with CPU and resident memory;
/// - the highest sustained rate of a ramp (50 reads per tag, as a dock door's tags linger), by
///   `PipelineRunFigures.sustained`;
/// - the group-commit batch sizes at 10,000 reads/s and at the highest sustained rate.
enum PipelineBench {
    static let defaultRamp = [25_000, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000]

    static func main(arguments: [String]) async throws {
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        }
        let pinned = arguments.contains("--no-pin") ? false : PipelineCPU.pinProcess(to: 0)
        let dataRoot = option("--data-dir") ?? FileManager.default.currentDirectoryPath + "/.bench/pipeline-data"
        try FileManager.default.createDirectory(atPath: dataRoot, withIntermediateDirectories: true)
        let devicesDir = devicesDirectory()
        let seconds = option("--seconds").flatMap(Double.init)
        let readsPerTag = option("--reads-per-tag").flatMap(Int.init)
        print("== pipeline: 8 serial readers on ptys (3 EM4100, 3 M100, 2 barcode) → Gateway → SQLite, durability full;"
              + " gateway \(pinned ? "pinned to CPU 0" : "not pinned"), feeder on CPU 1")

        if let rate = option("--rate").flatMap(Int.init) {
            let run = try await PipelineRun.run(rate: rate, seconds: seconds ?? 10, readsPerTag: readsPerTag ?? 10,
                                                devicesDir: devicesDir, dataRoot: dataRoot, stateInterval: option("--state-interval"))
            report(run, name: "\(rate)")
            return
        }

        if let floor = PipelineDiskFloor.measure(directory: dataRoot) {
            let p50 = ms(floor.valueAtPercentile(50)), p99 = ms(floor.valueAtPercentile(99))
            print("  disk floor (4 KiB pwrite + fdatasync, \(floor.totalCount) times): p50 \(format(p50)) ms p99 \(format(p99)) ms"
                  + " max \(format(ms(floor.max))) ms")
            BenchReport.shared.record(id: "disk.fdatasync.p50_ms", label: "disk: 4 KiB write + fdatasync p50", value: p50, unit: "ms", better: .lower)
            BenchReport.shared.record(id: "disk.fdatasync.p99_ms", label: "disk: 4 KiB write + fdatasync p99", value: p99, unit: "ms", better: .lower)
        }

        if let pty = PipelinePtyFloor.measure() {
            let p50 = ms(pty.valueAtPercentile(50)), p99 = ms(pty.valueAtPercentile(99))
            print("  pty floor (one frame, master write → slave poll wakes with it, \(pty.totalCount) times): p50 \(format(p50)) ms"
                  + " p99 \(format(p99)) ms max \(format(ms(pty.max))) ms")
            BenchReport.shared.record(id: "pty.delivery.p50_ms", label: "pty: one frame master → slave p50", value: p50, unit: "ms", better: .lower)
            BenchReport.shared.record(id: "pty.delivery.p99_ms", label: "pty: one frame master → slave p99", value: p99, unit: "ms", better: .lower)
        }

        for (rate, name) in [(1_000, "1k"), (10_000, "10k")] {
            let run = try await PipelineRun.run(rate: rate, seconds: seconds ?? 10, readsPerTag: readsPerTag ?? 10,
                                                devicesDir: devicesDir, dataRoot: dataRoot)
            report(run, name: name)
            let latency = run.latency
            for (suffix, label, value) in [("p50_ms", "p50", ms(latency.valueAtPercentile(50))), ("p99_ms", "p99", ms(latency.valueAtPercentile(99))),
                                           ("p999_ms", "p99.9", ms(latency.valueAtPercentile(99.9))), ("max_ms", "max", ms(latency.max))] {
                BenchReport.shared.record(id: "pipeline.\(name).\(suffix)", label: "pipeline read→durable at \(name) reads/s \(label)",
                                          value: value, unit: "ms", better: .lower, goal: name == "10k" && suffix == "p99_ms" ? 2 : nil)
            }
            guard name == "10k" else { continue }
            BenchReport.shared.record(id: "pipeline.cpu_seconds_per_1k_reads", label: "pipeline CPU per 1,000 reads (10k reads/s)",
                                      value: run.cpuSeconds / max(1, Double(run.written)) * 1_000, unit: "CPU-s", better: .lower)
            BenchReport.shared.record(id: "pipeline.resident_mib", label: "pipeline resident memory (10k reads/s)",
                                      value: Double(run.residentBytes) / 1_048_576, unit: "MiB", better: .lower)
            let sizes = run.batchSizes.sorted()
            for (suffix, label, value) in [("p50_events", "p50", percentile(sizes, 50)), ("p99_events", "p99", percentile(sizes, 99)),
                                           ("max_events", "max", sizes.last ?? 0)] {
                BenchReport.shared.record(id: "pipeline.commit_batch.\(suffix)", label: "group-commit events per transaction at 10k reads/s \(label)",
                                          value: Double(value), unit: "events", better: .higher)
            }
        }

        guard !arguments.contains("--no-ramp") else { return }
        let ramp = option("--ramp").map { $0.split(separator: ",").compactMap { Int($0) } } ?? defaultRamp
        var best = 0
        var perCPUSecond = 0.0
        for rate in ramp {
            let run = try await PipelineRun.run(rate: rate, seconds: seconds ?? 4, readsPerTag: readsPerTag ?? 50,
                                                devicesDir: devicesDir, dataRoot: dataRoot)
            report(run, name: "ramp \(rate)")
            perCPUSecond = max(perCPUSecond, Double(run.written) / max(run.cpuSeconds, 1e-9))
            guard run.sustained else { break }
            best = rate
        }
        print("  max sustained: \(best) reads/s (the highest rate of the ramp that was sustained);"
              + " at most \(Int(perCPUSecond)) reads per gateway CPU-second")
        // On a busy machine the gateway's core is shared: reads per CPU-second is what it would sustain alone.
        BenchReport.shared.record(id: "pipeline.reads_per_cpu_second", label: "pipeline reads per gateway CPU-second (ramp, 50 reads per tag)",
                                  value: perCPUSecond, unit: "reads/CPU-s", better: .higher, goal: 200_000)
        BenchReport.shared.record(id: "pipeline.max_sustained_reads_per_second", label: "pipeline max sustained reads/s, gateway on one core",
                                  value: Double(best), unit: "reads/s", better: .higher, goal: 200_000)
    }

    static func report(_ run: PipelineRunFigures, name: String) {
        let l = run.latency
        let sizes = run.batchSizes.sorted()
        print("  \(name): offered \(run.offered)/s, written \(run.written) reads in \(format(run.writingSeconds)) s"
              + " (\(Int(run.achieved))/s), ingested \(run.ingested), \(run.events) events")
        print("    arrivals: fed \(run.arrivalsFed), committed \(run.arrivalsCommitted); latency samples \(l.totalCount)")
        print("    read→durable ms: p50 \(format(ms(l.valueAtPercentile(50)))) p99 \(format(ms(l.valueAtPercentile(99))))"
              + " p99.9 \(format(ms(l.valueAtPercentile(99.9)))) max \(format(ms(l.max)))"
              + "; p99 per second: \(run.windowP99.map { format(ms($0)) }.joined(separator: " "))")
        print("    gateway CPU \(format(run.cpuSeconds)) s (\(format(run.cpuSeconds / max(1, Double(run.written)) * 1e6)) µs per read);"
              + " resident \(run.residentBytes / 1_048_576) MiB; pauses \(run.inputPauses), decode drops \(run.decodeDrops),"
              + " dropped \(run.droppedReads); feeder pinned: \(run.pinned), its CPU \(format(run.feederCPUSeconds)) s")
        print("    group commit: \(sizes.count) transactions, events per transaction p50 \(percentile(sizes, 50))"
              + " p99 \(percentile(sizes, 99)) max \(sizes.last ?? 0); transaction ms p50 \(format(ms(run.commitDurations.valueAtPercentile(50))))"
              + " p99 \(format(ms(run.commitDurations.valueAtPercentile(99)))) max \(format(ms(run.commitDurations.max)));"
              + " sustained: \(run.sustained)")
    }

    /// The repository's devices/ when run from its root (make bench), else next to the build.
    static func devicesDirectory() -> String {
        let here = FileManager.default.currentDirectoryPath + "/devices"
        if FileManager.default.fileExists(atPath: here) { return here }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("../../../devices").standardized.path
    }

    static func percentile(_ sorted: [Int], _ p: Double) -> Int {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p / 100))]
    }

    static func ms(_ micros: UInt64) -> Double { Double(micros) / 1_000 }
    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
