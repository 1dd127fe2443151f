import BenchReport
import Foundation
import Histogram
import Logging
import Synchronization
import TagwayConfig
import TagwayEmulators
import TagwayEventLog
import TagwayGateway
import TagwayModel
import TagwaySimulator

/// `tagway-forward-bench llrp [--rate R] [--seconds S]`: an LLRP reader emulated on 127.0.0.1
/// reporting R tag reads/s (every tag in its field once per 50 ms inventory round, tags entering
/// and leaving all the time) to the real `Gateway` in this process (SwiftNIO connection,
/// conversation, pipeline, movement engine, SQLite log with `durability: full`).
///
/// Read→durable latency: from the emulator's tick that puts a tag in the field and writes the
/// report announcing it, to the moment the log's subscribers hear the `arrived` event committed
/// (both on this process's monotonic clock), recorded in an HDR histogram in microseconds.
/// The first 3 s (the field filling up) are not recorded.
enum LLRPLatencyBench {
    static let tick = Duration.milliseconds(50)

    static func main(arguments: [String]) async throws {
        func option(_ name: String) -> Int? {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil }
        }
        let rates = option("--rate").map { [$0] } ?? [1_000, 10_000]
        let seconds = max(5, option("--seconds") ?? 15)
        for rate in rates { try await run(rate: rate, seconds: seconds) }
    }

    /// Tags enter `churn` per tick and stay `field / churn` ticks, so the field holds `field` tags.
    static func scenario(field: Int, churn: Int, seconds: Int) -> Scenario {
        let ticks = seconds * 20
        var steps: [Scenario.Step] = []
        var serial = 0
        var present: [TagID] = []
        for k in 0..<ticks {
            let at = Duration.milliseconds(Int64(k) * 50)
            for _ in 0..<churn {
                serial += 1
                let n = UInt32(serial)
                let id = TagID(bytes: [0xE2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x0D, UInt8(n >> 24),
                                       UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)])
                steps.append(Scenario.Step(at: at, action: .enter(FieldTag(id: id, antenna: 1, rssi: -50))))
                present.append(id)
            }
            while present.count > field {
                steps.append(Scenario.Step(at: at, action: .leave(present.removeFirst())))
            }
        }
        return Scenario(steps: steps)
    }

    static func run(rate: Int, seconds: Int) async throws {
        let field = max(1, rate / 20)
        let churn = max(1, field / 50)
        let entered = Mutex<[String: ContinuousClock.Instant]>([:])
        let clock = ContinuousClock()
        let warmUp = clock.now + .seconds(3)
        let server = try await LLRPEmulatorServer.start(
            scenario: scenario(field: field, churn: churn, seconds: seconds), waitForClient: true, tick: tick,
            onStep: { step in
                guard case .enter(let tag) = step.action else { return }
                let now = clock.now
                entered.withLock { $0[tag.id.hex] = now }
            })
        let dir = temporaryDirectory("llrp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = """
            gateway: { id: bench, dataDir: "\(dir)", devicesDir: devices, durability: full }
            debounce: { departAfter: 1s }
            readers:
              - { id: door, profile: impinj/r700, host: 127.0.0.1, port: \(server.port), antennas: { 1: door-in } }
            zones:
              - { id: dock, readPoints: [door-in] }
            """
        let config = try GatewayConfigLoader.load(data: Data(yaml.utf8), as: "bench.yaml", devicesDir: "devices")
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let gateway = try Gateway(config: config, logger: logger)
        let events = gateway.log.subscribe()
        let usageBefore = ProcessFigures.current()?.cpuSeconds ?? 0
        let running = Task { await gateway.run() }
        let end = clock.now + .seconds(seconds)
        let collector = Task { () -> (Histogram<UInt64>, Int, Int) in
            var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
            var arrivals = 0, unmatched = 0
            for await event in events where event.type == .arrived {
                let committed = clock.now
                guard let start = entered.withLock({ $0[event.asset.raw] }) else {
                    unmatched += 1
                    continue
                }
                arrivals += 1
                if start >= warmUp {
                    let micros = (committed - start).components
                    histogram.record(UInt64(max(0, micros.seconds * 1_000_000 + micros.attoseconds / 1_000_000_000_000)))
                }
                if committed >= end { break }
            }
            return (histogram, arrivals, unmatched)
        }
        try await Task.sleep(until: end + .seconds(1), clock: clock)
        running.cancel()
        await running.value
        collector.cancel()
        let (recorded, arrived, strays) = await collector.value
        let cpu = (ProcessFigures.current()?.cpuSeconds ?? 0) - usageBefore
        let resident = ProcessFigures.current()?.residentBytes ?? 0
        await server.stop()
        func ms(_ percentile: Double) -> String {
            String(format: "%.2f", Double(recorded.valueAtPercentile(percentile)) / 1000)
        }
        print("== llrp → durable: \(rate) tag reads/s offered (\(field) tags in the field, \(churn * 20) arrivals/s), \(seconds) s, durability full")
        print("  arrivals logged: \(arrived) (not matched to the emulator: \(strays)); latency samples: \(recorded.totalCount)")
        print("  read→durable ms: p50 \(ms(50)) p99 \(ms(99)) p99.9 \(ms(99.9)) max \(String(format: "%.2f", Double(recorded.max) / 1000))")
        let report = BenchReport.shared, prefix = "llrp.r\(rate)"
        for (name, percentile) in [("p50", 50.0), ("p99", 99.0), ("p99_9", 99.9)] {
            report.record(id: "\(prefix).read_to_durable_\(name)_ms", label: "llrp → durable at \(rate) reads/s: \(name.replacingOccurrences(of: "_", with: ".")) ms",
                          value: Double(recorded.valueAtPercentile(percentile)) / 1000, unit: "ms", better: .lower)
        }
        report.record(id: "\(prefix).read_to_durable_max_ms", label: "llrp → durable at \(rate) reads/s: max ms",
                      value: Double(recorded.max) / 1000, unit: "ms", better: .lower)
        report.record(id: "\(prefix).cpu_per_1000_reads", label: "llrp → durable at \(rate) reads/s: CPU-s per s per 1,000 reads/s",
                      value: cpu / Double(seconds) / (Double(rate) / 1000), unit: "CPU-s/s", better: .lower)
        report.record(id: "\(prefix).resident_mib", label: "llrp → durable at \(rate) reads/s: resident MiB",
                      value: Double(resident) / 1_048_576, unit: "MiB", better: .lower)
        print("  process CPU: \(String(format: "%.2f", cpu)) s over \(seconds) s (\(String(format: "%.3f", cpu / Double(seconds) / (Double(rate) / 1000))) CPU-s per s per 1,000 reads/s, emulator included); resident \(resident / 1_048_576) MiB")
    }
}
