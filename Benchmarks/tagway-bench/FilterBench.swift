import BenchReport
import CAllocationCounter
import Foundation
import TagwayDebounce
import TagwayFilters
import TagwayModel
import TagwayZones

/// `tagway-bench filters`: the movement benchmark's engine path with the pipeline's filter step
/// in front of it, as `Pipeline.take` runs it: each read judged by the filter bank (by reader and
/// read point index), then, if it passes, taken by the engine.
///
/// Two setups on the same streams: `none` (no filter configured: the bank is inactive and the
/// step is one flag test, which is what every gateway without filters pays) and `typical` (one
/// reader filter excluding an EPC prefix, `E`, and an RSSI floor of -65 dBm). The reads are made
/// into `TagObservation`s before the timed run, as the decoders hand them over.
enum FilterBench {
    static func run(_ workloads: [(String, [Read])]) {
        print("== filters + movement engine: reads/s, one core (median of 3)")
        let typical = FilterConfiguration(readers: ["bench-reader": TagFilterSpec(exclude: [TagMatch(epcPrefix: BitPrefix(hex: "E"))],
                                                                                  rssiFloor: -65)])
        for (name, reads) in workloads {
            let population = MovementBench.Population(reads)
            let observations = reads.map { TagObservation(technology: .epcGen2, id: $0.tag, antenna: Int($0.readPoint) + 1, rssi: $0.rssi) }
            for (setup, filters) in [("none", FilterConfiguration()), ("typical", typical)] {
                var cpuRates: [Double] = []
                var wallRates: [Double] = []
                var allocations: UInt64 = 0
                var counts = FilterCounts()
                for _ in 0..<3 {
                    var engine = MovementBench.makeEngine(for: population) { $0 }
                    let readerIndex = engine.reader(named: "bench-reader")
                    var bank = filters.isEmpty ? TagFilterBank()
                        : TagFilterBank(filters, reader: { _ in readerIndex }, readPoint: { _ in -1 }, at: Timestamp(milliseconds: 0))
                    var events: [ZoneEvent] = []
                    events.reserveCapacity(8192)
                    let allocationsBefore = tagway_allocation_count()
                    let seconds = MovementBench.timed {
                        let filtering = bank.isActive
                        var nextSweep = (reads.first?.time.milliseconds ?? 0) + 30_000
                        for index in reads.indices {
                            let read = reads[index]
                            if read.time.milliseconds >= nextSweep {
                                engine.advance(to: Timestamp(milliseconds: nextSweep), into: &events)
                                nextSweep += 30_000
                            }
                            if filtering,
                               bank.judge(observations[index], reader: readerIndex, readPoint: read.readPoint, time: read.time) != .pass {
                                continue
                            }
                            engine.ingest(read, into: &events, identify: MovementBench.unidentified)
                            if events.count >= 4096 { events.removeAll(keepingCapacity: true) }
                        }
                    }
                    allocations = tagway_allocation_count() - allocationsBefore
                    counts = bank.takeCounts()
                    wallRates.append(Double(reads.count) / seconds.wall)
                    cpuRates.append(Double(reads.count) / seconds.cpu)
                }
                let short = name.split(separator: " ").first.map(String.init) ?? name
                let cpu = median(cpuRates)
                print("  \(short) \(setup.padding(toLength: 8, withPad: " ", startingAt: 0))"
                      + " \(String(format: "%6.2f", median(wallRates) / 1e6)) M reads/s (\(String(format: "%.2f", cpu / 1e6)) M per CPU-second)"
                      + "  \(String(format: "%.6f", Double(allocations) / Double(reads.count))) allocations/read"
                      + "  dropped: excluded \(counts[.excluded]), rssi-floor \(counts[.rssiFloor])")
                BenchReport.shared.record(id: "filters.\(short).\(setup).reads_per_cpu_second",
                                          label: "filters \(short) (\(setup)): reads per CPU-second", value: cpu,
                                          unit: "reads/CPU-s", better: .higher)
                BenchReport.shared.record(id: "filters.\(short).\(setup).allocations_per_read",
                                          label: "filters \(short) (\(setup)): allocations per read",
                                          value: Double(allocations) / Double(max(1, reads.count)), unit: "allocations", better: .lower,
                                          goal: 0)
            }
        }
    }
}
