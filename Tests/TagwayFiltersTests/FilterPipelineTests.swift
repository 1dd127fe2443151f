import Foundation
import Logging
import Testing
import TagwayDebounce
import TagwayEventLog
import TagwayFilters
import TagwayModel
import TagwayTestSupport
import TagwayZones
@testable import TagwayGateway

/// Filters in the pipeline, in front of the movement engine and a real SQLite event log: what
/// they drop is counted on the health board and never becomes an event; a reload swaps them;
/// and an empty (or permissive) filter set changes no event of a random stream.
@Suite struct FilterPipelineTests {
    typealias F = TagFixtures
    static let reader = "door3-uhf"
    static let points = [(point: "door3-in", reader: reader), (point: "door3-out", reader: reader), (point: "dock", reader: "dock-uhf")]

    struct Fixture {
        let pipeline: Pipeline
        let log: EventLog
        let health: HealthBoard
        let dir: String
    }

    static func fixture(_ filters: FilterConfiguration, label: String) throws -> Fixture {
        let dir = TestPaths.temporaryDirectory("filters-" + label)
        let log = try EventLog(directory: dir, durability: .normal)
        let health = HealthBoard()
        let pipeline = Pipeline(gatewayID: "gw", readPoints: points, debounce: DebouncerConfiguration(departAfter: .seconds(5)),
                                movement: MovementConfiguration(settings: MovementSettings(departAfter: .seconds(5))), log: log,
                                health: health, stateInterval: .seconds(60),
                                logger: Logger(label: "filters-test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                clock: { F.at(0) }, filters: filters)
        return Fixture(pipeline: pipeline, log: log, health: health, dir: dir)
    }

    static func ingest(_ f: Fixture, _ tag: TagObservation, reader: String = reader, at ms: Int64) async {
        await f.pipeline.ingest(reader: reader, readPoint: { reader == Self.reader ? ($0 == 2 ? "door3-out" : "door3-in") : "dock" },
                                frames: [.tag(tag)], time: F.at(ms))
    }

    static func events(_ f: Fixture) throws -> [String] {
        try f.log.events(after: 0, limit: 10_000).map {
            "\($0.type.rawValue) \($0.asset.key) \($0.from ?? "-")>\($0.to ?? "-") \($0.readPoint ?? "-") \($0.reader ?? "-") \($0.time.milliseconds - F.at(0).milliseconds)"
        }
    }

    @Test func droppedReadsAreCountedAndMakeNoEvents() async throws {
        let reference = ReferenceTagSpec(tag: .uri("urn:epc:id:giai:0614141.99"), reader: Self.reader, readPoint: "door3-in",
                                         expectEvery: .seconds(60))
        let filters = FilterConfiguration(readers: [Self.reader: TagFilterSpec(exclude: [TagMatch(scheme: "sscc")], rssiFloor: -70)],
                                          readPoints: ["door3-in": TagFilterSpec(minReads: MinReads(count: 3, within: .seconds(2)))],
                                          referenceTags: [reference])
        let f = try Self.fixture(filters, label: "drops")
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        // Declared at the start (time 0 of the fixture's clock): missing after 60 s until read.
        #expect(f.health.filters.warnings(at: F.at(60_001)).count == 1)
        for i in 0..<10 {
            await Self.ingest(f, F.tag(F.sscc, rssi: -50), at: Int64(i) * 100)
            await Self.ingest(f, F.tag(F.sgtin, rssi: -80), at: Int64(i) * 100 + 10)
            await Self.ingest(f, F.tag(F.giai, rssi: -50), at: Int64(i) * 100 + 20)
        }
        for i in 0..<4 { await Self.ingest(f, F.tag("urn:epc:tag:giai-96:2.0614141.99"), at: 61_000 + Int64(i)) }
        await f.pipeline.advance(to: F.at(70_000))

        let counts = try #require(f.health.filters.counts(reader: Self.reader))
        #expect(counts[.excluded] == 10)
        #expect(counts[.rssiFloor] == 10)
        // The giai tag's first two reads at door3-in wait for the third.
        #expect(counts[.minReads] == 2)
        #expect(counts[.notIncluded] == 0)
        #expect(counts.referenceReads == 4)
        #expect(f.health.filters.warnings(at: F.at(61_004)).isEmpty)
        #expect(f.health.filters.references.first?.reads == 4)
        let events = try Self.events(f)
        #expect(events == ["arrived urn:epc:id:giai:0614141.12345 ->door3-in door3-in door3-uhf 220",
                           "departed urn:epc:id:giai:0614141.12345 door3-in>- door3-in door3-uhf 5920"])
        // Status: the reader's object carries its filter figures and, when missing, the warning.
        let json = f.health.filters.adding(to: #"{"reader":"door3-uhf"}"#, reader: Self.reader, at: F.at(200_000))
        #expect(json.contains(#""filtered":{"excluded":10,"not-included":0,"rssi-floor":10,"min-reads":2},"referenceReads":4"#))
        #expect(json.contains(#""missing":true"#))
        #expect(json.contains("reference tag urn:epc:id:giai:0614141.99 not read at door3-in for 138.9s"))
        let checks = f.health.filters.readinessChecks(at: F.at(200_000))
        #expect(checks.count == 1)
        #expect(checks.first?.ok == true)
        #expect(checks.first?.detail.hasPrefix("warning: reference tag") == true)
        #expect(await f.pipeline.shutdown() == 0)
    }

    @Test func aReloadSwapsTheFilters() async throws {
        let excludeGIAI = FilterConfiguration(readers: [Self.reader: TagFilterSpec(exclude: [TagMatch(keyPrefix: "urn:epc:id:giai:")])])
        let f = try Self.fixture(excludeGIAI, label: "reload")
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        await Self.ingest(f, F.tag(F.giai), at: 0)
        await Self.ingest(f, F.tag(F.sgtin), at: 10)
        await f.pipeline.reconfigureFilters(FilterConfiguration(readers: [Self.reader: TagFilterSpec(exclude: [TagMatch(scheme: "sgtin")])]))
        await Self.ingest(f, F.tag(F.giai), at: 100)
        await Self.ingest(f, F.tag(F.sgtin), at: 110)
        await f.pipeline.reconfigureFilters(FilterConfiguration())
        await Self.ingest(f, F.tag(F.sscc), at: 200)
        await Self.ingest(f, F.tag(F.sgtin), at: 210)
        let arrivals = try Self.events(f).filter { $0.hasPrefix("arrived") }.map { $0.split(separator: " ")[1] }
        #expect(arrivals == ["urn:epc:id:sgtin:0614141.812345.6789", "urn:epc:id:giai:0614141.12345", "urn:epc:id:sscc:0614141.1234567890"])
        #expect(f.health.filters.counts(reader: Self.reader)?[.excluded] == 2)
        #expect(await f.pipeline.shutdown() == 0)
    }

    /// Property: on a random stream (two readers, three read points, RSSI and no RSSI, late
    /// reads), no filter, an empty filter set and an active filter that keeps everything give
    /// the same events.
    @Test(arguments: [1, 2, 3]) func anEmptyFilterSetChangesNothing(seed: UInt64) async throws {
        let permissive = FilterConfiguration(
            readers: [Self.reader: TagFilterSpec(exclude: [TagMatch(epcPrefix: BitPrefix(hex: "FF"))], rssiFloor: -150)],
            readPoints: ["dock": TagFilterSpec(include: [TagMatch(keyPrefix: "urn:epc:")], minReads: MinReads(count: 1, within: .seconds(1)))])
        var outcomes: [[String]] = []
        for (label, filters) in [("none", FilterConfiguration()), ("empty", FilterConfiguration(readers: [Self.reader: TagFilterSpec()])),
                                 ("permissive", permissive)] {
            let f = try Self.fixture(filters, label: "property-\(label)")
            defer { try? FileManager.default.removeItem(atPath: f.dir) }
            var rng = SplitMix64(seed: seed)
            var time: Int64 = 0
            for _ in 0..<2_000 {
                time += Int64(rng.next() % 400)
                let serial = rng.next() % 30
                let tag = TagObservation(technology: .epcGen2, id: F.id("urn:epc:tag:giai-96:0.0614141.\(serial)"),
                                         antenna: Int(rng.next() % 2) + 1, rssi: rng.next() % 5 == 0 ? nil : -40 - Int(rng.next() % 50))
                let late = rng.next() % 20 == 0 ? Int64(rng.next() % 1_000) : 0
                let reader = rng.next() % 3 == 0 ? "dock-uhf" : Self.reader
                await Self.ingest(f, tag, reader: reader, at: max(0, time - late))
            }
            await f.pipeline.advance(to: F.at(time + 60_000))
            outcomes.append(try Self.events(f))
            #expect(await f.pipeline.shutdown() == 0)
        }
        #expect(outcomes[0].count > 50)
        #expect(outcomes[1] == outcomes[0])
        #expect(outcomes[2] == outcomes[0])
    }
}
