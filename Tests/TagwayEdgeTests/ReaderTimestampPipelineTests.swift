import Foundation
import Testing
import TagwayDebounce
import TagwayEventLog
import TagwayModel
import TagwayTestSupport
import TagwayZones
@testable import TagwayGateway

/// A network reader stamps its reads (`seenAt`): the pipeline takes that time, not the time its
/// report arrived, and reads out of order (one batch, or two readers' batches) never move the
/// engine's clock back.
@Suite struct ReaderTimestampPipelineTests {
    static let t0: Int64 = 1_790_000_000_000
    static let first = TagID(hex: "3074257BF7194E4000001A85")!
    static let second = TagID(hex: "3074257BF7194E4000001A86")!

    static func pipeline(_ log: EventLog) -> Pipeline {
        Pipeline(gatewayID: "gw", readPoints: [(point: "dock", reader: "llrp-a"), (point: "dock", reader: "llrp-b")],
                 debounce: DebouncerConfiguration(departAfter: .seconds(5)),
                 movement: MovementConfiguration(settings: MovementSettings(departAfter: .seconds(5))), log: log,
                 stateInterval: .seconds(60), logger: CapturedLog().logger, clock: { Timestamp(milliseconds: 0) })
    }

    @Test func aReadIsTimedWhenTheReaderSawIt() async throws {
        let dir = temporaryDirectory("reader-timestamps")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let p = Self.pipeline(log)
        // One report arriving at t0 + 500 ms, its tags seen 400 and 450 ms earlier, out of order.
        let batch: [ReaderFrame] = [
            .tag(TagObservation(technology: .epcGen2, id: Self.second, seenAt: Timestamp(milliseconds: Self.t0 + 50))),
            .tag(TagObservation(technology: .epcGen2, id: Self.first, seenAt: Timestamp(milliseconds: Self.t0))),
        ]
        await p.ingest(reader: "llrp-a", readPoint: { _ in "dock" }, frames: batch, time: Timestamp(milliseconds: Self.t0 + 500))
        // Another reader's older read after it: taken at the latest time the engine has seen.
        await p.ingest(reader: "llrp-b", readPoint: { _ in "dock" },
                       frames: [.tag(TagObservation(technology: .epcGen2, id: Self.first, seenAt: Timestamp(milliseconds: Self.t0 - 1_000)))],
                       time: Timestamp(milliseconds: Self.t0 + 600))
        await p.advance(to: Timestamp(milliseconds: Self.t0 + 10_000))

        let events = try log.events(after: 0, limit: 10).map { "\($0.type.rawValue) \($0.asset.raw) \($0.time.milliseconds - Self.t0)" }
        #expect(events == ["arrived 3074257BF7194E4000001A86 50", "arrived 3074257BF7194E4000001A85 50",
                           "departed 3074257BF7194E4000001A86 5050", "departed 3074257BF7194E4000001A85 5050"])
        #expect(await p.counters.lateReads == 2, "the out-of-order read of the batch and the other reader's old one")
        #expect(await p.shutdown() == 0)
    }
}
