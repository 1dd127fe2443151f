import BenchReport
import Foundation
import Logging
import TagwayDebounce
import TagwayEventLog
import TagwayGateway
import TagwayModel
import TagwayZones

/// `tagway-forward-bench restart [--assets N]`: how long a restart takes to be ready with N
/// tracked assets (issue 11: 100,000 in under 2 s). Builds a log holding N asset rows, written
/// through `append(_:state:)` with their `arrived` events as the gateway writes them, then times,
/// on a fresh open: opening the log (with its start check), loading every row (`assetStates()`),
/// and handing them to a `Pipeline` (`restore`, as the gateway does before its readers start).
/// Phases are printed in ms, never asserted.
enum RestartBench {
    static func record(_ i: Int, seq: Int64) -> (MovementEvent, AssetRecord) {
        let n = UInt32(i)
        let tag = TagID(bytes: [0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                                UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)])
        let hex = tag.bytes.map { String(format: "%02X", $0) }.joined()
        let asset = AssetRef(key: "urn:epc:raw:96.x" + hex, scheme: "epc-raw", raw: hex)
        let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i))
        let zone = "zone-\(i % 50)", point = "rp-\(i % 200)"
        var rng = SplitMix64(seed: UInt64(i))
        let event = MovementEvent(id: EventID.make(time: time, using: &rng), type: .arrived, time: time, gateway: "bench",
                                  asset: asset, to: zone, readPoint: point, reader: "reader-\(i % 100)", rssi: -50, reads: 3)
        let row = AssetRecord(tag: tag, isScan: false, technology: "epc-gen2", asset: asset, symbology: nil, zone: zone, since: time,
                              readPoint: point, reader: "reader-\(i % 100)", lastRead: time, lastReadInZone: time, doorSide: nil,
                              leanSide: nil, reads: 3, peakRSSI: -50, episodes: [], stationed: false, seq: seq)
        return (event, row)
    }

    static func main(arguments: [String]) async throws {
        let count = arguments.firstIndex(of: "--assets").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? 100_000
        let dir = temporaryDirectory("restart")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let log = try EventLog(directory: dir, durability: .normal)
            var i = 0
            while i < count {
                let batch = (i..<min(count, i + 5_000)).map { record($0, seq: Int64($0 + 1)) }
                _ = try await log.append(batch.map(\.0), state: AssetStateChanges(upserts: batch.map(\.1), removals: []))
                i += batch.count
            }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + EventLog.fileName)[.size] as? Int) ?? 0
        print("== restart: ready with \(count) tracked assets (log \(size / 1_048_576) MiB + WAL)")
        let t0 = ContinuousClock.now
        let log = try EventLog(directory: dir, durability: .full)
        let t1 = ContinuousClock.now
        let snapshot = try log.assetStates()
        let t2 = ContinuousClock.now
        // The gateway's restore: 200 read points in 50 zones, every asset read within departAfter
        // of `now` (no departures to write), room for all of them in the engine.
        let points = (0..<200).map { (point: "rp-\($0)", reader: "reader-\($0 % 100)") }
        let zones = (0..<50).map { z in ZoneSpec(id: "zone-\(z)", readPoints: points.indices.filter { $0 % 50 == z }.map { points[$0].point }) }
        let capacity = max(65_536, count * 2)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let now = Timestamp(milliseconds: 1_764_000_000_000 + Int64(count))
        let pipeline = Pipeline(gatewayID: "bench", readPoints: points,
                                debounce: DebouncerConfiguration(maxPresent: capacity, ringCapacity: capacity, departAfter: .seconds(600)),
                                movement: MovementConfiguration(zones: zones, settings: MovementSettings(departAfter: .seconds(600), maxAssets: capacity)),
                                log: log, logger: logger, clock: { now })
        await pipeline.restore(snapshot, configuredReadPoints: Set(points.map(\.point)), now: now)
        let t3 = ContinuousClock.now
        let tracked = await pipeline.movementCounters
        await pipeline.shutdown()
        let ms = { (d: Duration) in String(format: "%8.1f ms", seconds(d) * 1000) }
        print("  open + start check \(ms(t1 - t0))")
        print("  load \(snapshot.records.count) rows \(ms(t2 - t1))  (last seq \(snapshot.lastSeq))")
        print("  restore into the pipeline's engine \(ms(t3 - t2))  (departed \(tracked.departed), evicted \(tracked.evictions))")
        print("  ready after        \(ms(t3 - t0))")
        BenchReport.shared.record(id: "forward.restart.ready_ms", label: "restart: ready with \(count) tracked assets",
                                  value: seconds(t3 - t0) * 1000, unit: "ms", better: .lower)
    }
}
