import BenchReport
import Foundation
import TagwayDebounce
import TagwayDecoders
import TagwayEmulators
import TagwayModel
import TagwayProtocols
import TagwaySimulator

// Tagway benchmarks. Run in release mode, on an otherwise idle machine:
//   swift run -c release tagway-bench [decoders|debounce|movement|llrp-report|idle|pipeline|all] [--stream FILE] [--workload W1|W2|W3]
//     [--move-after-reads N] [--floor DB]   (movement: mobility settings, default 2 and 0)
//   idle [--seconds 60] [--tagway PATH] [--devices DIR]: the real gateway doing nothing (IdleBench.swift)
//   --json FILE: also write every figure there (make bench merges them into bench-results.json)
//   tagway-bench pipeline [--rate R] [--seconds S] [--reads-per-tag K] [--ramp R1,R2,…] [--no-ramp] [--data-dir DIR]
//     (emulated serial readers on ptys → the real Gateway → SQLite, durability full; see PipelineBench.swift)
// Figures are printed, never asserted: tests do not time anything.

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first { !$0.hasPrefix("--") } ?? "all"
// The pipeline benchmark's feeder process (hidden): nothing else runs in it.
if which == "pipeline-feeder" {
    try PipelineFeeder.main(arguments: arguments)
    exit(0)
}
let streamFile = arguments.firstIndex(of: "--stream").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }

func measure(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

if which == "decoders" || which == "all" {
    print("== decoders: throughput over 16 MB of valid traffic with 1% noise (median of 5)")
    var rng = SplitMix64(seed: 0x7A6_3A1)
    for descriptor in ProtocolRegistry.all where descriptor.transport == .serialBytes {
        guard let traffic = DecoderTraffic.make(descriptor: descriptor, bytes: 16 << 20, rng: &rng) else {
            print("  \(descriptor.id.padding(toLength: 20, withPad: " ", startingAt: 0)) (no emulator)")
            continue
        }
        var frames = 0
        let times = (0..<5).map { _ in
            measure {
                var assembler = FrameAssembler((try? descriptor.serial?.makeDecoder([:]))!)
                var offset = 0
                while offset < traffic.count {
                    let end = min(traffic.count, offset + 4096)
                    frames = 0
                    assembler.feed(traffic[offset..<end]) { _ in frames += 1 }
                    offset = end
                }
            }
        }
        let mbps = Double(traffic.count) / median(times) / 1e6
        BenchReport.shared.record(id: "decoders.\(descriptor.id).mb_per_second", label: "decoder \(descriptor.id): MB/s",
                                  value: mbps, unit: "MB/s", better: .higher)
        print("  \(descriptor.id.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(format: "%8.1f", mbps)) MB/s")
    }
}

if which == "debounce" || which == "all" {
    print("== debouncer: reads/s, one core (median of 3)")
    let workloads: [(String, [Read])]
    if let streamFile {
        workloads = [(streamFile, try ReadStream.load(path: streamFile))]
    } else {
        workloads = [("W1 1,000 tags x 4 antennas", ReadStream.generate(epcs: 1_000, antennas: 4, reads: 2_000_000)),
                     ("W2 100,000 tags x 4 antennas", ReadStream.generate(epcs: 100_000, antennas: 4, reads: 2_000_000)),
                     ("W3 1 tag x 1 antenna", ReadStream.generate(epcs: 1, antennas: 1, reads: 2_000_000))]
    }
    for (name, reads) in workloads {
        var arrivals = 0, departures = 0
        let times = (0..<3).map { _ in
            measure {
                var debouncer = Debouncer(configuration: DebouncerConfiguration(
                    maxPresent: 500_000, ringCapacity: 65_536, window: .seconds(2), departAfter: .seconds(600)))
                var out: [Sighting] = []
                out.reserveCapacity(1024)
                arrivals = 0
                departures = 0
                for read in reads {
                    debouncer.ingest(read, into: &out)
                    if !out.isEmpty {
                        for s in out { if s.kind == .arrived { arrivals += 1 } else { departures += 1 } }
                        out.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        let rate = Double(reads.count) / median(times)
        print("  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(format: "%6.2f", rate / 1e6)) M reads/s  (arrived \(arrivals), departed \(departures))")
    }
}

if which == "movement" || which == "all" {
    let only = arguments.firstIndex(of: "--workload").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
    func option(_ name: String) -> Double? {
        arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Double(arguments[$0 + 1]) : nil }
    }
    let moveAfterReads = option("--move-after-reads"), floor = option("--floor")
    MovementBench.run(try streamFile.map { [($0, try ReadStream.load(path: $0))] } ?? MovementBench.standardWorkloads(only: only)) {
        var settings = $0
        if let moveAfterReads { settings.moveAfterReads = Int(moveAfterReads) }
        if let floor { settings.floor = floor }
        return settings
    }
}

if which == "llrp-report" || which == "all" {
    LLRPReportBench.run()
}

if which == "idle" || which == "all" {
    try IdleBench.run(arguments: arguments)
}

if which == "pipeline" || which == "all" {
    try await PipelineBench.main(arguments: arguments)
}

try BenchReport.shared.writeIfAsked()
