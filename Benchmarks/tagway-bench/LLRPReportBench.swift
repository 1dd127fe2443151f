import BenchReport
import CAllocationCounter
import Foundation
import TagwayDecoders
import TagwayLLRP
import TagwayModel

/// `tagway-bench llrp-report`: RO_ACCESS_REPORT decoding, the gateway's hot path at a busy dock.
/// One byte buffer of reports (100 TagReportData each: EPC-96, AntennaID, PeakRSSI, First and
/// LastSeenTimestampUTC, TagSeenCount) goes through `LLRPFramer` and `LLRPCodec.decode` in
/// 64 KiB reads, as a connection delivers it. Prints reports/s and tag reads/s per wall-clock
/// and per CPU second, and heap allocations per tag read.
enum LLRPReportBench {
    static func run(reports: Int = 20_000) {
        print("== llrp-report: RO_ACCESS_REPORT of 100 tags through LLRPFramer + LLRPCodec.decode, one core (median of 5)")
        var rng = SplitMix64(seed: 0x11_4E)
        let stream = makeStream(reports: reports, rng: &rng)
        var rates: [Double] = []
        var cpuRates: [Double] = []
        var tags = 0
        var allocations: UInt64 = 0
        for _ in 0..<5 {
            tags = 0
            let before = tagway_allocation_count()
            let seconds = MovementBench.timed {
                var framer = LLRPFramer()
                var window = ByteWindow()
                var offset = 0
                while offset < stream.count {
                    let end = min(stream.count, offset + 65_536)
                    window.append(contentsOf: stream[offset..<end])
                    offset = end
                    while let frame = try? framer.next(&window) {
                        if case .roAccessReport(let reads)? = try? LLRPCodec.decode(frame).message { tags += reads.count }
                    }
                }
            }
            allocations = tagway_allocation_count() - before
            rates.append(Double(reports) / seconds.wall)
            cpuRates.append(Double(reports) / seconds.cpu)
        }
        let rate = median(rates), cpuRate = median(cpuRates)
        print("  \(reports) reports, \(stream.count / 1_048_576) MiB: \(String(format: "%.0f", rate)) reports/s, "
              + "\(String(format: "%.2f", rate * 100 / 1e6)) M tag reads/s"
              + " (\(String(format: "%.0f", cpuRate)) reports, \(String(format: "%.2f", cpuRate * 100 / 1e6)) M reads per CPU-second)")
        print("  \(tags) tag reads decoded per run, \(String(format: "%.2f", Double(allocations) / Double(max(tags, 1)))) allocations/read")
        let report = BenchReport.shared
        report.record(id: "llrp-report.reports_per_second", label: "llrp-report: RO_ACCESS_REPORTs (100 tags) decoded/s",
                      value: rate, unit: "reports/s", better: .higher)
        report.record(id: "llrp-report.tag_reads_per_second", label: "llrp-report: tag reads decoded/s",
                      value: rate * 100, unit: "reads/s", better: .higher)
        report.record(id: "llrp-report.tag_reads_per_cpu_second", label: "llrp-report: tag reads decoded per CPU-second",
                      value: cpuRate * 100, unit: "reads/CPU-s", better: .higher)
        report.record(id: "llrp-report.allocations_per_read", label: "llrp-report: heap allocations per tag read",
                      value: Double(allocations) / Double(max(tags, 1)), unit: "allocs", better: .lower)
    }

    static func makeStream(reports: Int, rng: inout SplitMix64) -> [UInt8] {
        let start: UInt64 = 1_764_676_800_000_000
        var stream: [UInt8] = []
        for index in 0..<reports {
            let tags = (0..<100).map { _ in
                let first = start + UInt64(index) * 10_000 + rng.next() % 10_000
                return TagReport(epc: (0..<12).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, antennaID: UInt16(rng.next() % 4 + 1),
                                 peakRSSI: Int8(-40 - Int(rng.next() % 40)), firstSeen: .utc(microseconds: first),
                                 lastSeen: .utc(microseconds: first + rng.next() % 5_000), seenCount: UInt16(rng.next() % 8 + 1))
            }
            stream += LLRPCodec.encode(.roAccessReport(tags), id: UInt32(truncatingIfNeeded: index))
        }
        return stream
    }
}
