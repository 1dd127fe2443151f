import BenchReport
import Foundation
import Logging
import TagwayCapture
import TagwayConfig
import TagwayEmulators
import TagwayGateway
import TagwayModel

/// `tagway-bench replay`: the shared W2 stream's equivalent (100,000 distinct 96-bit EPCs, 4
/// antennas, reads 1 ms apart, generated as gen_stream.py does) written as the capture of a
/// ThingMagic Mercury reader with 4 antennas (its Read Tag ID Single answers carry the antenna and
/// RSSI), then replayed by `Replay`, what `tagway replay` runs: reading the file, the session
/// machine's decoding, the pipeline, the SQLite log. Issue 18's goal: at least 10× faster than
/// the capture's span (the 2,000 s stream in under 200 s).
///
/// `--reads N` shortens the stream; `--keep DIR` writes the capture and its configuration there
/// and keeps them, to time the command itself: `time tagway replay --config DIR/bench.yaml DIR/w2.tcap > /dev/null`.
enum ReplayBench {
    static func run(arguments: [String], reads: Int) async throws {
        print("== replay: W2's equivalent (\(reads) reads, 100,000 EPCs, 4 antennas, 1 ms apart) as a Mercury capture, replayed")
        let kept = arguments.firstIndex(of: "--keep").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        let dir = kept ?? NSTemporaryDirectory() + "tagway-bench-replay-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let capture = dir + "/w2.tcap"
        let written = try writeCapture(to: capture, reads: reads)
        let devicesDir = PipelineBench.devicesDirectory()
        let yaml = """
            gateway: { id: bench, dataDir: "\(dir)/data", devicesDir: "\(devicesDir)" }
            debounce: { departAfter: 600s, window: 2s, maxPresent: 500000, ringCapacity: 65535 }
            movement: { maxAssets: 125000 }
            readers:
              - { id: bench-uhf, profile: thingmagic/m6e-nano, port: /dev/null, readPoint: dock-1,
                  antennas: { 1: dock-1, 2: dock-2, 3: dock-3, 4: dock-4 } }
            zones:
              - { id: dock, readPoints: [dock-1, dock-2, dock-3, dock-4] }
            """
        try yaml.write(toFile: dir + "/bench.yaml", atomically: true, encoding: .utf8)
        let config = try GatewayConfigLoader.load(data: Data(yaml.utf8), as: dir + "/bench.yaml", devicesDir: devicesDir)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var options = ReplayOptions(captures: [capture])
        options.configDigest = 1
        let summary = try await Replay.run(config: config, options: options, logger: logger) { _ in }
        let wall = ReplaySummary.seconds(summary.wall)
        let span = ReplaySummary.seconds(summary.captureSpan)
        let speed = summary.speed ?? 0
        let readsPerSecond = Double(summary.tally.reads) / max(wall, 1e-9)
        print("  capture: \(written / 1_000_000) MB, \(summary.tally.records) records, span \(String(format: "%.1f", span)) s")
        print("  decoded \(summary.tally.reads) reads (\(summary.tally.dropEvents) decode drops); events: \(summary.events) "
              + "(arrived \(summary.eventsByType[.arrived] ?? 0), departed \(summary.eventsByType[.departed] ?? 0))")
        print("  wall \(String(format: "%.1f", wall)) s: \(String(format: "%.1f", speed))× real time (goal ≥ 10×), "
              + "\(String(format: "%.0f", readsPerSecond)) reads/s")
        if let kept { print("  kept: time .build/release/tagway replay --config \(kept)/bench.yaml \(kept)/w2.tcap > /dev/null") }
        let report = BenchReport.shared
        report.record(id: "replay.W2.speed_vs_real_time", label: "replay W2 capture: capture time per wall time", value: speed,
                      unit: "x", better: .higher, goal: 10)
        report.record(id: "replay.W2.wall_seconds", label: "replay W2 capture: wall time", value: wall, unit: "s", better: .lower,
                      goal: reads == 2_000_000 ? 200 : nil)
        report.record(id: "replay.W2.reads_per_second", label: "replay W2 capture: reads/s", value: readsPerSecond, unit: "reads/s",
                      better: .higher)
    }

    /// The capture, written in 1 MiB pieces; returns its size in bytes.
    static func writeCapture(to path: String, reads: Int) throws -> Int {
        let stream = ReadStream.generate(epcs: 100_000, antennas: 4, reads: reads)
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let file = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? file.close() }
        let header = CaptureHeader(reader: "bench-uhf", profile: "thingmagic/m6e-nano", protocolID: "thingmagic-mercury",
                                   transport: "serial", line: "115200 8N1")
        var out = Array(CaptureFormat.headerText(header).utf8)
        CaptureFormat.append(CaptureRecord(time: stream.first?.time ?? Timestamp(milliseconds: 0), kind: .open), to: &out)
        var size = 0
        for read in stream {
            let tag = FieldTag(id: read.tag, antenna: Int(read.readPoint) + 1, rssi: read.rssi ?? -60)
            let answer = MercuryEmulator.readTagSingleResponse(tag, option: 0x10, metadata: [.rssi, .antenna], now: read.time)
            CaptureFormat.append(CaptureRecord(time: read.time, kind: .rx, payload: answer), to: &out)
            if out.count >= 1 << 20 {
                size += out.count
                try file.write(contentsOf: out)
                out.removeAll(keepingCapacity: true)
            }
        }
        size += out.count
        try file.write(contentsOf: out)
        return size
    }
}
