import Foundation
import Histogram
import Logging
import Synchronization
import TagwayConfig
import TagwayEventLog
import TagwayGateway
import TagwayModel
import TagwaySessions

/// What one run of the pipeline benchmark measured.
struct PipelineRunFigures {
    var offered: Int
    var seconds: Double
    /// Reads the feeder wrote, and over how long (longer than `seconds` only by the last write).
    var written: Int
    var writingSeconds: Double
    /// Reads the movement engine took (tag reads and scans).
    var ingested: Int
    var arrivalsFed: Int
    var arrivalsCommitted: Int
    var events: Int
    /// Read→durable, microseconds, for arrivals whose first read was written after the warm-up.
    var latency: Histogram<UInt64>
    /// p99 (µs) of each whole second of the run after the warm-up, by the first read's write time.
    var windowP99: [UInt64]
    var inputPauses: Int
    var decodeDrops: Int
    var droppedReads: Int
    /// Gateway process CPU seconds while the feeder wrote (plus the drain).
    var cpuSeconds: Double
    var residentBytes: Int
    /// Events per group-commit transaction (transactions with events only).
    var batchSizes: [Int]
    var pinned: Bool
    /// The feeder's own CPU seconds: near its writing time, it (not the gateway) was the bound.
    var feederCPUSeconds: Double
    /// How long each transaction took, start to commit (fsync included), microseconds.
    var commitDurations: Histogram<UInt64>

    var achieved: Double { Double(written) / max(writingSeconds, 1e-9) }

    /// Sustained: the feeder kept the offered rate (a gateway behind blocks its writes), nothing
    /// was paused, dropped or left uncommitted, and latency did not grow over the run (the last
    /// second's p99 at most 3× the first's, or under 20 ms).
    var sustained: Bool {
        guard achieved >= 0.98 * Double(offered), inputPauses == 0, decodeDrops == 0, droppedReads == 0,
              ingested >= written, arrivalsCommitted >= arrivalsFed else { return false }
        guard let first = windowP99.first, let last = windowP99.last else { return true }
        return last <= max(3 * first, 20_000)
    }
}

/// One run: a feeder process at `rate` reads/s for `seconds`, the real `Gateway` on its ports in
/// this process (durability full), and a consumer on `gateway.log.subscribe()` that notes when
/// each `arrived` event was committed.
enum PipelineRun {
    static let warmUp = 1.0

    /// `stateInterval`: the gateway's periodic asset-state write (nil: the default, 1 s).
    static func run(rate: Int, seconds: Double, readsPerTag: Int, devicesDir: String, dataRoot: String,
                    stateInterval: String? = nil) async throws -> PipelineRunFigures {
        let dir = dataRoot + "/run-\(rate)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let feeder = try PipelineFeederProcess(rate: rate, seconds: seconds, readsPerTag: readsPerTag, recordsPath: dir + "/first-reads")
        let readers = feeder.ports.enumerated().map { index, port in
            "  - { id: r\(index), profile: \(PipelineWorkload.readers[index].profile), port: \(port), readPoint: p\(index) }"
        }.joined(separator: "\n")
        let yaml = """
            gateway: { id: bench, dataDir: "\(dir)/data", devicesDir: "\(devicesDir)", durability: full\(stateInterval.map { ", stateInterval: \($0)" } ?? "") }
            debounce: { departAfter: 1s }
            readers:
            \(readers)
            """
        let config = try GatewayConfigLoader.load(data: Data(yaml.utf8), as: "bench.yaml", devicesDir: devicesDir)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let batches = Mutex<[Int]>([])
        let commitTimes = Mutex(Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .two))
        let gateway = try Gateway(config: config, logger: logger, commits: { figures in
            let micros = figures.duration.components.seconds * 1_000_000 + figures.duration.components.attoseconds / 1_000_000_000_000
            if figures.events > 0 { batches.withLock { $0.append(figures.events) } }
            commitTimes.withLock { $0.record(UInt64(max(0, micros))) }
        })
        let committed = Mutex<[String: UInt64]>([:])
        let eventCount = Mutex(0)
        let events = gateway.log.subscribe()
        let consumer = Task {
            for await event in events {
                let now = PipelineCPU.monotonicNanoseconds()
                eventCount.withLock { $0 += 1 }
                guard event.type == .arrived else { continue }
                committed.withLock { if $0[event.asset.raw] == nil { $0[event.asset.raw] = now } }
            }
        }
        let running = Task { await gateway.run() }
        // Every port open before the first byte, so no read waits for a connection.
        for _ in 0..<500 where gateway.health.snapshot.filter(\.connected).count < feeder.ports.count {
            try await Task.sleep(for: .milliseconds(10))
        }
        let cpuBefore = PipelineCPU.processCPUSeconds()
        feeder.go()
        let done = await withCheckedContinuation { (continuation: CheckedContinuation<(reads: Int, seconds: Double, cpuSeconds: Double)?, Never>) in
            Thread.detachNewThread { continuation.resume(returning: feeder.waitDone()) }
        }
        let records = (try? PipelineFeeder.read(from: feeder.recordsPath)) ?? []
        let expected = records.filter { PipelineWorkload.readers[Int($0.reader)] != .barcode }
        let keys = expected.map { PipelineWorkload.assetRaw(reader: Int($0.reader), serial: $0.serial) }
        // The drain: up to 3 s for the last arrivals to be committed and the last reads (of tags
        // that arrived earlier) to be taken. A read still in a pty or an inbox when the counters
        // are read is late, not lost: the run's last millisecond of reads was once counted as lost
        // while a checkpoint shared the gateway's core.
        for _ in 0..<300 {
            // Only RFID tags arrive (scans in a zone that is not a scan zone are `observed`).
            let taken = await gateway.pipeline.movementCounters
            if committed.withLock({ $0.count }) >= keys.count, taken.reads + taken.scans >= done?.reads ?? 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let cpu = PipelineCPU.processCPUSeconds() - cpuBefore
        let resident = ProcessFigures.current()?.residentBytes ?? 0
        let counters = await gateway.pipeline.movementCounters
        let health = gateway.health.snapshot
        running.cancel()
        await running.value
        consumer.cancel()
        feeder.quit()

        var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
        let start = expected.map(\.nanoseconds).min() ?? 0
        var windows: [Int: Histogram<UInt64>] = [:]
        var matched = 0
        let times = committed.withLock { $0 }
        for (record, key) in zip(expected, keys) {
            guard let at = times[key] else { continue }
            matched += 1
            let since = Double(record.nanoseconds &- start) / 1e9
            guard since >= warmUp else { continue }
            let micros = at > record.nanoseconds ? (at - record.nanoseconds) / 1_000 : 0
            histogram.record(micros)
            let second = Int(since)
            if Double(second + 1) <= seconds {
                windows[second, default: Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .two)].record(micros)
            }
        }
        return PipelineRunFigures(
            offered: rate, seconds: seconds, written: done?.reads ?? 0, writingSeconds: done?.seconds ?? seconds,
            ingested: counters.reads + counters.scans, arrivalsFed: expected.count, arrivalsCommitted: matched,
            events: eventCount.withLock { $0 }, latency: histogram,
            windowP99: windows.keys.sorted().compactMap { windows[$0]?.valueAtPercentile(99) },
            inputPauses: health.reduce(0) { $0 + $1.counters[.inputPauses] },
            decodeDrops: health.reduce(0) { $0 + $1.decodeDrops.values.reduce(0, +) },
            droppedReads: health.reduce(0) { $0 + $1.droppedReads },
            cpuSeconds: cpu, residentBytes: resident, batchSizes: batches.withLock { $0 }, pinned: feeder.pinned,
            feederCPUSeconds: done?.cpuSeconds ?? 0, commitDurations: commitTimes.withLock { $0 })
    }
}
