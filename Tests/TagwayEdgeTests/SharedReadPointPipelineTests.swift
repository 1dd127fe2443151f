import Foundation
import Testing
import TagwayDebounce
import TagwayEventLog
import TagwayModel
import TagwayTestSupport
import TagwayZones
@testable import TagwayGateway

/// A UHF portal and an EM4100 badge reader configured on the same read point: the events in the
/// log and the asset rows name the reader that read each asset, and each asset's key is made for
/// its own technology (the pipeline once kept one reader and one technology per read point).
@Suite struct SharedReadPointPipelineTests {
    static let t0: Int64 = 1_790_000_000_000
    static let epc = TagID(hex: "3074257BF7194E4000001A85")!
    static let card = TagID(bytes: [0x0A, 0x0B, 0x0C, 0x0D, 0x0E])

    static func read(_ p: Pipeline, reader: String, _ observation: TagObservation, _ t: Int64) async {
        await p.ingest(reader: reader, readPoint: { _ in "dock" }, frames: [.tag(observation)], time: Timestamp(milliseconds: t))
    }

    @Test func eventsAndRowsNameEachAssetsOwnReaderAndKey() async throws {
        let dir = temporaryDirectory("shared-read-point")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let p = Pipeline(gatewayID: "gw", readPoints: [(point: "dock", reader: "uhf-portal"), (point: "dock", reader: "badge-reader")],
                         debounce: DebouncerConfiguration(departAfter: .seconds(5)),
                         movement: MovementConfiguration(settings: MovementSettings(departAfter: .seconds(5))), log: log,
                         stateInterval: .seconds(60), logger: CapturedLog().logger, clock: { Timestamp(milliseconds: 0) })
        await Self.read(p, reader: "uhf-portal", TagObservation(technology: .epcGen2, id: Self.epc, rssi: -50), Self.t0)
        await Self.read(p, reader: "badge-reader", TagObservation(technology: .em4100, id: Self.card), Self.t0 + 100)

        let rows = try log.assetStates().records.sorted { $0.since < $1.since }
        #expect(rows.map(\.reader) == ["uhf-portal", "badge-reader"])
        #expect(rows.map(\.technology) == ["epc-gen2", "em4100"])

        await p.advance(to: Timestamp(milliseconds: Self.t0 + 10_000))
        let events = try log.events(after: 0, limit: 10).map { "\($0.type.rawValue) \($0.asset.key) \($0.reader ?? "-")" }
        #expect(events == ["arrived urn:epc:id:sgtin:0614141.812345.6789 uhf-portal", "arrived em4100:0A0B0C0D0E badge-reader",
                           "departed urn:epc:id:sgtin:0614141.812345.6789 uhf-portal", "departed em4100:0A0B0C0D0E badge-reader"])
        #expect(await p.shutdown() == 0)
    }
}
