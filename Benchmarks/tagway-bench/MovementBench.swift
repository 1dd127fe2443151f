import BenchReport
import CAllocationCounter
import Foundation
import TagwayDebounce
import TagwayModel
import TagwayZones

/// `tagway-bench movement`: reads/s through debounce + zones (the movement engine) on one core,
/// with the reference setup of ../shared/streams: each antenna its own zone (read point
/// `bench-reader_<antenna>`), departure after 600 s checked every 30 s of stream time.
///
/// Besides the rate it prints the events by type, heap allocations per read during the timed run
/// (malloc calls counted by CAllocationCounter), the heap the engine holds, and the process's
/// peak resident memory. Rates are given per wall-clock second and per second of the thread's
/// CPU time: on a shared machine (other builds running) the CPU-time figure is the stable one.
enum MovementBench {
    /// Seconds of wall clock and of this thread's CPU time that `body` takes.
    static func timed(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        func cpuNow() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let cpu = cpuNow()
        let wall = measure(body)
        return (wall, cpuNow() - cpu)
    }

    /// `--no-prefetch` clears it: the timed loops give no hints of the reads to come, to show
    /// what they are worth (see `MovementEngine.prefetch`). Set once, before any benchmark runs.
    nonisolated(unsafe) static var hints = true

    /// Goals of issue 16 in reads per CPU-second: 3.5x EdgeX's figures on one core of a quiet machine.
    static let goals: [String: Double] = ["W1": 9.31e6, "W2": 1.365e6, "W3": 28.2e6]

    /// `profile` overrides the mobility settings (`--move-after-reads N`, `--floor DB`), e.g. to
    /// count moves with EdgeX's behaviour (1 read, no floor) on the same streams; then the figures
    /// are recorded under `movement.<W>.edgex_like.` so they never mix with the default profile's.
    static func run(_ workloads: [(String, [Read])], profileName: String? = nil,
                    profile: (MovementSettings) -> MovementSettings = { $0 }) {
        print("== movement engine (debounce + zones): reads/s, one core (median of 3)")
        for (name, reads) in workloads {
            let population = Population(reads)
            var rates: [Double] = []
            var cpuRates: [Double] = []
            var counters = MovementCounters()
            var allocations: UInt64 = 0
            var engineBytes: UInt64 = 0
            for _ in 0..<3 {
                let before = tagway_heap_in_use()
                var engine = makeEngine(for: population, profile: profile)
                engineBytes = tagway_heap_in_use() &- before
                // The driver's buffer of events, not the engine's: measured apart (until
                // 2026-12-04 it was counted in the engine's heap, 0.7 MiB of its figure).
                var events: [ZoneEvent] = []
                events.reserveCapacity(8192)
                // Each read is handed to the engine owned, as the pipeline hands the `Read` it
                // has just built from a decoded frame: moved out of a buffer filled before the
                // clock starts. Passing `stream[i]` of the array instead made Swift copy every
                // read (an outlined copy and a retain of its tag's optional spill array: about
                // 90 instructions a read by callgrind), work the pipeline does not do.
                let owned = UnsafeMutableBufferPointer<Read>.allocate(capacity: reads.count)
                _ = owned.initialize(from: reads)
                let allocationsBefore = tagway_allocation_count()
                let seconds = timed { drive(&engine, owned, &events) }
                allocations = tagway_allocation_count() - allocationsBefore
                owned.deallocate()
                counters = engine.counters
                rates.append(Double(reads.count) / seconds.wall)
                cpuRates.append(Double(reads.count) / seconds.cpu)
            }
            let rate = median(rates)
            print("  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(format: "%6.2f", rate / 1e6)) M reads/s"
                  + " (\(String(format: "%.2f", median(cpuRates) / 1e6)) M per CPU-second)"
                  + "  arrived \(counters.arrived), moved \(counters.moved), departed \(counters.departed), evicted \(counters.evictions)")
            print("  \(String(repeating: " ", count: 32)) \(String(format: "%.6f", Double(allocations) / Double(reads.count))) allocations/read"
                  + " (\(allocations) in the run), engine heap \(String(format: "%.1f", Double(engineBytes) / 1_048_576)) MiB"
                  + " for \(population.tags) tags x \(population.readPoints) read points"
                  + " (\(engineBytes / UInt64(max(1, population.tags))) bytes a tag)")
            record(workload: name, reads: reads.count, wall: rate, cpu: median(cpuRates), allocations: allocations,
                   engineBytes: engineBytes, counters: counters, profileName: profileName)
        }
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        print("  peak resident memory of the process (streams included): \(usage.ru_maxrss / 1024) MiB;"
              + " heap allocations by the process so far: \(tagway_allocation_count())")
    }

    /// The figures of one workload for `make bench` (see BenchReport): ids by the workload's
    /// short name (`W2`), goals from issue 16.
    static func record(workload name: String, reads: Int, wall: Double, cpu: Double, allocations: UInt64, engineBytes: UInt64,
                       counters: MovementCounters, profileName: String?) {
        let short = name.split(separator: " ").first.map(String.init) ?? name
        let key = goals[short] == nil ? "stream" : short
        let prefix = "movement.\(key)" + (profileName.map { ".\($0)" } ?? "")
        let label = "movement \(key)" + (profileName.map { " (\($0))" } ?? "")
        let report = BenchReport.shared
        let goal = profileName == nil ? goals[key] : nil
        report.record(id: "\(prefix).reads_per_second", label: "\(label): reads/s (wall)", value: wall, unit: "reads/s", better: .higher)
        report.record(id: "\(prefix).reads_per_cpu_second", label: "\(label): reads per CPU-second", value: cpu,
                      unit: "reads/CPU-s", better: .higher, goal: goal)
        report.record(id: "\(prefix).allocations_per_read", label: "\(label): allocations per read",
                      value: Double(allocations) / Double(max(1, reads)), unit: "allocations", better: .lower,
                      goal: profileName == nil ? 0 : nil)
        report.record(id: "\(prefix).engine_heap_mib", label: "\(label): engine heap", value: Double(engineBytes) / 1_048_576,
                      unit: "MiB", better: .lower, goal: profileName == nil && key == "W2" ? 30 : nil)
        for (type, count) in [("arrived", counters.arrived), ("moved", counters.moved), ("departed", counters.departed),
                              ("evicted", counters.evictions)] {
            report.record(id: "\(prefix).\(type)", label: "\(label): \(type)", value: Double(count), unit: "events", better: .lower)
        }
    }

    /// The timed loop: every read of `owned` moved out and ingested, with a sweep every 30 s of
    /// stream time. Out of line, so a profile (callgrind) gives the loop's cost per read by itself.
    @inline(never)
    static func drive(_ engine: inout MovementEngine, _ owned: UnsafeMutableBufferPointer<Read>, _ events: inout [ZoneEvent]) {
        guard let base = owned.baseAddress, !owned.isEmpty else { return }
        var nextSweep = base.pointee.time.milliseconds + 30_000
        var prefetching = false
        for i in owned.indices {
            // As the pipeline does within a report: the engine loads the next reads' state while
            // it works on this one, once its tables outgrow the caches.
            if i % 100 == 0 { prefetching = hints && engine.prefetchPays }
            if prefetching {
                for ahead in 1...MovementEngine.prefetchDistance where i + ahead < owned.count {
                    engine.prefetch(base[i + ahead], readsAhead: ahead)
                }
            }
            let read = (base + i).move()
            if read.time.milliseconds >= nextSweep {
                engine.advance(to: Timestamp(milliseconds: nextSweep), into: &events)
                nextSweep += 30_000
            }
            engine.ingest(read, into: &events, identify: unidentified)
            if events.count >= 4096 { events.removeAll(keepingCapacity: true) }
        }
    }

    /// W1, W2 and W3 of ../shared/streams, generated exactly as gen_stream.py does.
    /// `only`: a workload name (`W2`) to run just that one.
    /// `reads`: the stream's length (2,000,000 in the reference; shorter for callgrind runs).
    static func standardWorkloads(only: String? = nil, reads: Int = 2_000_000) -> [(String, [Read])] {
        let all: [(String, Int, Int)] = [("W1 1,000 tags x 4 antennas", 1_000, 4), ("W2 100,000 tags x 4 antennas", 100_000, 4),
                                         ("W3 1 tag x 1 antenna", 1, 1)]
        return all.filter { workload in only.map { workload.0.hasPrefix($0 + " ") } ?? true }.map {
            ($0.0, ReadStream.generate(epcs: $0.1, antennas: $0.2, reads: reads))
        }
    }

    /// The stream's population: its distinct tags and read points, counted before the clock starts.
    struct Population {
        var tags: Int
        var readPoints: Int

        init(_ reads: [Read]) {
            tags = Set(reads.lazy.map(\.tag)).count
            readPoints = Set(reads.lazy.map(\.readPoint)).count
        }
    }

    /// Sized for the stream's population, the issue's measure ("100,000 tags x 4 read points"):
    /// a presence for every tag at every read point, the most the stream can hold (so nothing is
    /// ever evicted), and a tag entry and an asset per tag (W2: 400,000 presences, 100,000 assets; W1: 4,000 and
    /// 1,024, the least the benchmark gives). A deployment adds headroom for tags it does not
    /// know of yet; what each costs is printed beside the heap.
    static func makeEngine(for population: Population, profile: (MovementSettings) -> MovementSettings) -> MovementEngine {
        let presences = population.tags.multipliedReportingOverflow(by: max(1, population.readPoints))
        let settings = profile(MovementSettings(departAfter: .seconds(600), maxAssets: max(1024, population.tags)))
        let debounce = DebouncerConfiguration(maxPresent: max(1024, presences.overflow ? Int(Int32.max) : presences.partialValue),
                                              maxTags: max(1024, population.tags),
                                              ringCapacity: 65_536, window: .seconds(2), departAfter: .seconds(600))
        return MovementEngine(configuration: MovementConfiguration(settings: settings), debounce: debounce,
                              readPoints: (1...4).map { "bench-reader_\($0)" })
    }

    /// No rules in the benchmark, so the engine never asks who an asset is.
    static func unidentified(_ tag: TagID) -> AssetRef { AssetRef(key: tag.hex, scheme: "epc-raw", raw: tag.hex) }
}
