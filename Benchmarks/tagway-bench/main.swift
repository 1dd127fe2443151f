import BenchReport
import Foundation
import TagwayDebounce
import TagwayDecoders
import TagwayEmulators
import TagwayModel
import TagwayProtocols
import TagwaySimulator

// Tagway benchmarks. Run in release mode, on an otherwise idle machine:
//   swift run -c release tagway-bench [decoders|debounce|movement|filters|llrp-report|idle|pipeline|all] [--stream FILE] [--workload W1|W2|W3]
//     [--move-after-reads N] [--floor DB]   (movement: mobility settings, default 2 and 0)
//     [--reads N]   (debounce, movement: stream length, default 2,000,000; e.g. 200000 under callgrind)
//   idle [--seconds 60] [--tagway PATH] [--devices DIR]: the real gateway doing nothing (IdleBench.swift)
//   --json FILE: also write every figure there (make bench merges them into bench-results.json)
//   tagway-bench pipeline [--rate R] [--seconds S] [--reads-per-tag K] [--ramp R1,R2,…] [--no-ramp] [--data-dir DIR]
//     (emulated serial readers on ptys → the real Gateway → SQLite, durability full; see PipelineBench.swift)
//   tagway-bench replay [--reads N] [--keep DIR]: W2 as a capture through `tagway replay`'s Replay (ReplayBench.swift);
//     not part of `all` (it writes a 170 MB capture): make bench runs it on its own line
// Figures are printed, never asserted: tests do not time anything.

let arguments = Array(CommandLine.arguments.dropFirst())
let which = BenchSection.chosen(arguments, sections: ["decoders", "debounce", "movement", "filters", "llrp-report", "idle", "pipeline", "replay"],
                                hidden: ["pipeline-feeder"], usage: """
    usage: tagway-bench [decoders|debounce|movement|filters|llrp-report|idle|pipeline|replay|all] [options] [--json FILE]
      movement, debounce: [--workload W1|W2|W3] [--reads N] [--stream FILE] [--move-after-reads N] [--floor DB] [--no-prefetch]
      idle: [--idle-seconds S] [--tagway PATH] [--devices DIR]
      pipeline: [--rate R] [--seconds S] [--reads-per-tag K] [--ramp R1,R2,...] [--no-ramp] [--data-dir DIR]
      replay: [--reads N] [--keep DIR]   (not part of all)
    Figures are printed (and written to FILE with --json), never asserted. Run in release mode.
    """)
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

/// `--reads N`: how many reads each generated stream has.
let streamReads = arguments.firstIndex(of: "--reads").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil }
    ?? 2_000_000
// --no-prefetch: the timed loops give no hints of the reads to come (see `MovementEngine.prefetch`),
// and their figures are recorded apart (`.no_prefetch`), to show what the hints are worth.
MovementBench.hints = !arguments.contains("--no-prefetch")
let onlyWorkload = arguments.firstIndex(of: "--workload").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }

if which == "debounce" || which == "all" {
    print("== debouncer: reads/s, one core (median of 3)")
    let workloads: [(String, [Read])]
    if let streamFile {
        workloads = [(streamFile, try ReadStream.load(path: streamFile))]
    } else {
        workloads = MovementBench.standardWorkloads(only: onlyWorkload, reads: streamReads)
    }
    for (name, reads) in workloads {
        var arrivals = 0, departures = 0
        let times = (0..<3).map { _ in
            // Built, and the reads made ready to be handed over owned, before the clock starts
            // (see `MovementBench.run`): the figure is the debouncer's work per read.
            var debouncer = Debouncer(configuration: DebouncerConfiguration(
                maxPresent: 500_000, ringCapacity: 65_536, window: .seconds(2), departAfter: .seconds(600)))
            let owned = UnsafeMutableBufferPointer<Read>.allocate(capacity: reads.count)
            _ = owned.initialize(from: reads)
            defer { owned.deallocate() }
            return MovementBench.timed {
                var out: [Sighting] = []
                out.reserveCapacity(1024)
                arrivals = 0
                departures = 0
                let base = owned.baseAddress.unsafelyUnwrapped
                var hinting = false
                for i in owned.indices {
                    // The reads to come, as the engine's driver gives them (see `MovementBench.drive`).
                    if i % 100 == 0 { hinting = MovementBench.hints && debouncer.prefetchPays }
                    if hinting, i + 3 < owned.count {
                        debouncer.prefetch(base[i + 3], .bucket)
                        debouncer.prefetch(base[i + 2], .slot)
                        debouncer.prefetch(base[i + 1], .links)
                    }
                    let read = (base + i).move()
                    debouncer.ingest(read, into: &out)
                    if !out.isEmpty {
                        for s in out { if s.kind == .arrived { arrivals += 1 } else { departures += 1 } }
                        out.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        let rate = Double(reads.count) / median(times.map(\.wall))
        let cpuRate = Double(reads.count) / median(times.map(\.cpu))
        print("  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(format: "%6.2f", rate / 1e6)) M reads/s"
              + " (\(String(format: "%.2f", cpuRate / 1e6)) M per CPU-second)  (arrived \(arrivals), departed \(departures))")
        let short = name.split(separator: " ").first.map(String.init) ?? name
        let key = (["W1", "W2", "W3"].contains(short) ? short : "stream") + (MovementBench.hints ? "" : ".no_prefetch")
        BenchReport.shared.record(id: "debounce.\(key).reads_per_second", label: "debouncer \(key): reads/s (wall)", value: rate,
                                  unit: "reads/s", better: .higher)
        BenchReport.shared.record(id: "debounce.\(key).reads_per_cpu_second", label: "debouncer \(key): reads per CPU-second",
                                  value: cpuRate, unit: "reads/CPU-s", better: .higher)
    }
}

if which == "movement" || which == "all" {
    func option(_ name: String) -> Double? {
        arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Double(arguments[$0 + 1]) : nil }
    }
    let moveAfterReads = option("--move-after-reads"), floor = option("--floor")
    let mobility = moveAfterReads == nil && floor == nil ? nil
        : moveAfterReads == 1 && floor == 0 ? "edgex_like" : "move_after_\(Int(moveAfterReads ?? 2))_floor_\(Int(floor ?? 0))"
    let profileName = MovementBench.hints ? mobility : [mobility, "no_prefetch"].compactMap { $0 }.joined(separator: "_")
    MovementBench.run(try streamFile.map { [($0, try ReadStream.load(path: $0))] }
                      ?? MovementBench.standardWorkloads(only: onlyWorkload, reads: streamReads), profileName: profileName) {
        var settings = $0
        if let moveAfterReads { settings.moveAfterReads = Int(moveAfterReads) }
        if let floor { settings.floor = floor }
        return settings
    }
}

if which == "filters" || which == "all" {
    FilterBench.run(MovementBench.standardWorkloads(only: onlyWorkload, reads: streamReads))
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

if which == "replay" {
    try await ReplayBench.run(arguments: arguments, reads: streamReads)
}

try BenchReport.shared.writeIfAsked()
