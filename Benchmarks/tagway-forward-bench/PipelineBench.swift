import BenchReport
import Foundation
import Logging
import TagwayDebounce
import TagwayEventLog
import TagwayGateway
import TagwayModel
import TagwayZones

/// `tagway-forward-bench pipeline`: durable events/s through the real `Pipeline` (movement engine,
/// event naming, the log's group commit) on a real log in a temp dir, so the cost of anything the
/// pipeline writes with its events (issue 11: asset state rows) shows in the figure.
///
/// The workload is the same every run: waves of `wave` tags, one wave every 600 ms of stream
/// time; each tag is read 3 times at read point `a` (zone A: arrived), then 3 times at `b` (zone B,
/// 20 dB stronger: moved), then falls silent and departs 1 s later: 3 events per tag. Readers `ra`
/// and `rb` hand their frames over concurrently (as reader sessions do), `chunk` tags per call,
/// and stream time advances 100 ms per step; the pipeline never reads a clock.
enum PipelineBench {
    struct Figures {
        var events: Int
        var reads: Int
        var transactions: Int
        var seconds: Double
    }

    static let stepMilliseconds: Int64 = 100
    static let stepsPerWave = 6
    static let departAfter = Duration.seconds(1)
    /// Waves whose tags are in use at once (a tag departs 16 steps after its wave starts, < 3 waves).
    static let poolWaves = 4

    static func tag(wave: Int, index: Int, size: Int) -> TagID {
        let n = UInt32((wave % poolWaves) * size + index)
        return TagID(bytes: [0xE2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x0C, UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                             UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)])
    }

    static func run(events target: Int, wave: Int, chunk: Int, durability: EventLog.Durability) async throws -> Figures {
        let dir = temporaryDirectory("pipeline")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: durability)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let settings = MovementSettings(departAfter: departAfter)
        let movement = MovementConfiguration(zones: [ZoneSpec(id: "A", readPoints: ["a"]), ZoneSpec(id: "B", readPoints: ["b"])],
                                             settings: settings)
        // The departure timer must never fire on its own: stream time is advanced by the bench.
        let pipeline = Pipeline(gatewayID: "bench", readPoints: [("a", "ra"), ("b", "rb")],
                                debounce: DebouncerConfiguration(departAfter: departAfter), movement: movement, log: log,
                                logger: logger, clock: { Timestamp(milliseconds: 0) })
        let waves = max(1, target / (3 * wave))
        let steps = waves * stepsPerWave + 20
        let base: Int64 = 1_764_000_000_000
        let before = try log.lastSeq()
        let transactionsBefore = await log.committerTransactions
        var reads = 0
        let start = ContinuousClock.now
        for step in 0..<steps {
            let time = Timestamp(milliseconds: base + Int64(step) * stepMilliseconds)
            let w = step / stepsPerWave, phase = step % stepsPerWave
            let active = w < waves
            let atA = active && phase < 3, atB = active && phase >= 3
            func frames(rssi: Int) -> [[ReaderFrame]] {
                let all = (0..<wave).map {
                    ReaderFrame.tag(TagObservation(technology: .epcGen2, id: tag(wave: w, index: $0, size: wave), rssi: rssi))
                }
                return stride(from: 0, to: all.count, by: chunk).map { Array(all[$0..<min($0 + chunk, all.count)]) }
            }
            let chunksA = atA ? frames(rssi: -70) : [], chunksB = atB ? frames(rssi: -50) : []
            reads += (chunksA + chunksB).reduce(0) { $0 + $1.count }
            async let a: Void = feed(pipeline, reader: "ra", point: "a", chunks: chunksA, time: time)
            async let b: Void = feed(pipeline, reader: "rb", point: "b", chunks: chunksB, time: time)
            _ = await (a, b)
            await pipeline.advance(to: time)
        }
        let elapsed = seconds(ContinuousClock.now - start)
        await pipeline.shutdown()
        let committed = try log.lastSeq() - before
        let transactions = await log.committerTransactions - transactionsBefore
        return Figures(events: Int(committed), reads: reads, transactions: transactions, seconds: elapsed)
    }

    static func feed(_ pipeline: Pipeline, reader: String, point: String, chunks: [[ReaderFrame]], time: Timestamp) async {
        for frames in chunks { await pipeline.ingest(reader: reader, readPoint: { _ in point }, frames: frames, time: time) }
    }

    /// Runs every durability `repeats` times, interleaved (full, normal, full, ...), so a busy
    /// machine slows both modes alike.
    static func main(arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let events = option("--events", 30_000), wave = max(1, option("--wave", 64)), chunk = max(1, option("--chunk", 4))
        let repeats = max(1, option("--repeats", 1))
        print("== pipeline: durable events/s through Pipeline + EventLog (waves of \(wave) tags, \(chunk) tags per ingest, ~\(events) events)")
        var rates: [EventLog.Durability: [(events: Double, reads: Double)]] = [:]
        for round in 1...repeats {
            for durability in EventLog.Durability.allCases {
                let f = try await run(events: events, wave: wave, chunk: chunk, durability: durability)
                rates[durability, default: []].append((Double(f.events) / f.seconds, Double(f.reads) / f.seconds))
                print("  run \(round) synchronous=\(durability.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))"
                      + " \(String(format: "%8.0f", Double(f.events) / f.seconds)) events/s"
                      + " \(String(format: "%9.0f", Double(f.reads) / f.seconds)) reads/s"
                      + "  (\(f.events) events, \(f.reads) reads, \(f.transactions) transactions, \(String(format: "%.2f", f.seconds)) s)")
            }
        }
        // The median run of each durability (the only run with --repeats 1).
        for durability in EventLog.Durability.allCases {
            guard let runs = rates[durability]?.sorted(by: { $0.events < $1.events }), !runs.isEmpty else { continue }
            let middle = runs[runs.count / 2]
            BenchReport.shared.record(id: "forward.pipeline.\(durability.rawValue).events_per_second",
                                      label: "forward pipeline (synchronous=\(durability.rawValue)): durable events/s",
                                      value: middle.events, unit: "events/s", better: .higher)
            BenchReport.shared.record(id: "forward.pipeline.\(durability.rawValue).reads_per_second",
                                      label: "forward pipeline (synchronous=\(durability.rawValue)): reads/s",
                                      value: middle.reads, unit: "reads/s", better: .higher)
        }
    }
}
