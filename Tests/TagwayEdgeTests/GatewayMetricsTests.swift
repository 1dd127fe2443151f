import Foundation
import Logging
import Prometheus
import Testing
import TagwayDebounce
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySessions
import TagwayTestSupport
@testable import TagwayGateway

/// The scrape-time collector and the commit observer, each with its own registry: counters follow
/// the gateway's running totals and never go down; gauges show the state of the moment.
@Suite(.serialized) struct GatewayMetricsTests {
    static let clock: @Sendable () -> Timestamp = { Timestamp(milliseconds: 1_790_000_000_000) }

    /// The value of the sample written exactly as `series` (`name{label="value"}`) in the text.
    static func value(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func aRunningTotalBecomesIncrementsThatNeverGoDown() {
        var deltas = CounterDeltas()
        #expect(deltas.advance("frames", to: 5) == 5)
        #expect(deltas.advance("frames", to: 8) == 3)
        #expect(deltas.advance("frames", to: 8) == 0)
        // The source started again from zero: what it counted since is the increment.
        #expect(deltas.advance("frames", to: 2) == 2)
        #expect(deltas.advance("frames", to: -4) == 0, "a negative total is no increment")
        #expect(deltas.advance("frames", to: 1) == 1)
        #expect(deltas.advance("bytes", to: 7) == 7, "series are independent")
    }

    @Test func procStatIsReadFromAfterTheCommandName() throws {
        // Fields 3…24 of proc(5); the name holds spaces and parentheses.
        var fields = Array(repeating: "0", count: 22)
        fields[0] = "S"
        for (field, value) in [(14, "250"), (15, "50"), (22, "1000"), (23, "123456"), (24, "100")] { fields[field - 3] = value }
        let stat = "4242 (tag way) (x)) " + fields.joined(separator: " ") + " 0 0\n"
        let figures = try #require(ProcessFigures.parse(stat: stat, bootTime: 1_700_000_000, ticksPerSecond: 100, pageSize: 4096))
        #expect(figures.cpuSeconds == 3.0)
        #expect(figures.startTimeSeconds == 1_700_000_010)
        #expect(figures.virtualBytes == 123_456)
        #expect(figures.residentBytes == 409_600)
        #expect(ProcessFigures.parse(stat: "4242 (short) S 1 2", bootTime: 0, ticksPerSecond: 100, pageSize: 4096) == nil)
        #expect(ProcessFigures.parse(stat: "no parenthesis", bootTime: 0, ticksPerSecond: 100, pageSize: 4096) == nil)
        fields[24 - 3] = String(Int.max / 2)
        #expect(ProcessFigures.parse(stat: "1 (t) " + fields.joined(separator: " "), bootTime: 0, ticksPerSecond: 100, pageSize: 4096) == nil,
                "a resident size that overflows is refused, not trapped on")
        #expect(ProcessFigures.bootTime(procStat: "cpu  1 2 3\nbtime 1764633600\nprocesses 9\n") == 1_764_633_600)
        #expect(ProcessFigures.bootTime(procStat: "cpu  1 2 3\n") == nil)
        let own = try #require(ProcessFigures.current(), "this process's /proc")
        #expect(own.residentBytes > 0 && own.openDescriptors > 0)
    }

    @Test func theCollectorPublishesReadersEngineLogAndSinks() async throws {
        let dir = TestPaths.temporaryDirectory("metrics-collector")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let metrics = GatewayMetrics()
        let log = try EventLog(directory: dir, durability: .normal, commits: metrics.commitObserver)
        let health = HealthBoard()
        let pipeline = Pipeline(gatewayID: "gw", readPoints: [(point: "desk", reader: "r1")], debounce: DebouncerConfiguration(),
                                log: log, health: health, logger: Logger(label: "test"), clock: Self.clock)
        let sinks = SinkStatusBoard()
        var sink = SinkStatus(id: "itam", kind: "webhook")
        (sink.head, sink.cursor) = (10, 4)
        sinks.update(sink)
        let collector = GatewayMetricsCollector(registry: metrics.registry, health: health, pipeline: pipeline, log: log, sinks: sinks)

        health.register("r1", path: "/dev/ttyUSB0")
        health.chunkReceived("r1", frames: 3, bytes: 30, at: Self.clock())
        health.update("r1") {
            $0.connected = true
            $0.counters.add(12, to: .bytesDropped(.badChecksum))
            $0.counters.add(2, to: .dropEvents(.badChecksum))
            $0.counters.add(1, to: .linkFailures(kind: "io"))
        }
        let scans = (0..<3).map { ReaderFrame.barcode(BarcodeScan(data: Array("ASSET-\($0)".utf8))) }
        await pipeline.ingest(reader: "r1", readPoint: { _ in "desk" }, frames: scans, time: Self.clock())
        await collector.collect()
        var text = metrics.registry.emitToString()
        #expect(Self.value(#"tagway_reader_frames_total{reader="r1"}"#, in: text) == 3)
        #expect(Self.value(#"tagway_reader_bytes_total{reader="r1"}"#, in: text) == 30)
        #expect(Self.value(#"tagway_reader_connected{reader="r1"}"#, in: text) == 1)
        #expect(Self.value(#"tagway_reader_decode_drops_total{reader="r1",reason="bad-checksum"}"#, in: text) == 2)
        #expect(Self.value(#"tagway_reader_errors_total{reader="r1",kind="io"}"#, in: text) == 1)
        #expect(!text.contains(#"kind="bad-checksum""#), "drops are not counted twice as errors")
        let observed = await pipeline.figures.movement.observed
        #expect(observed == 3)
        #expect(Self.value(#"tagway_engine_events_total{type="observed"}"#, in: text) == 3)
        #expect(Self.value(#"tagway_engine_scans_total"#, in: text) == 3)
        #expect(Self.value(#"tagway_log_last_seq"#, in: text) == Double(try log.lastSeq()))
        #expect(Self.value(#"tagway_log_appended_events_total"#, in: text) == 3)
        #expect(Self.value(#"tagway_sink_backlog_events{sink="itam"}"#, in: text) == 6)
        #expect(Self.value(#"tagway_sink_delivered_events_total{sink="itam"}"#, in: text) == 0, "made at 0 before the first batch")
        #expect((Self.value("process_resident_memory_bytes", in: text) ?? 0) > 0)

        // The reader's session starts again (a new health entry): the counters carry on upwards.
        health.register("r1", path: "/dev/ttyUSB0")
        health.chunkReceived("r1", frames: 2, bytes: 5, at: Self.clock())
        await collector.collect()
        text = metrics.registry.emitToString()
        #expect(Self.value(#"tagway_reader_frames_total{reader="r1"}"#, in: text) == 5)
        #expect(Self.value(#"tagway_reader_bytes_total{reader="r1"}"#, in: text) == 35)
        #expect(Self.value(#"tagway_reader_connected{reader="r1"}"#, in: text) == 0)
        #expect(Self.value(#"tagway_reader_decode_drops_total{reader="r1",reason="bad-checksum"}"#, in: text) == 2)
    }

    @Test func eachCommitIsCountedAndTimedOnce() async throws {
        let dir = TestPaths.temporaryDirectory("metrics-commits")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let metrics = GatewayMetrics()
        let log = try EventLog(directory: dir, durability: .normal, commits: metrics.commitObserver)
        let events = (0..<4).map { n in
            MovementEvent(id: "e\(n)", type: .observed, time: Self.clock(), gateway: "gw",
                          asset: AssetRef(key: "ASSET-\(n)", scheme: "barcode", raw: "ASSET-\(n)"))
        }
        _ = try await log.append(events)
        _ = try await log.append(Array(events.prefix(1)).map { var e = $0; e.id = "again"; return e })
        let text = metrics.registry.emitToString()
        #expect(Self.value("tagway_log_appends_total", in: text) == 2)
        #expect(Self.value("tagway_log_appended_events_total", in: text) == 5)
        #expect(Self.value("tagway_log_append_duration_seconds_count", in: text) == 2)
        #expect(Self.value(#"tagway_log_append_duration_seconds_bucket{le="+Inf"}"#, in: text) == 2)
        // Events per transaction, in the log's own buckets (cumulative, as Prometheus has them).
        #expect(Self.value("tagway_log_commit_batch_events_count", in: text) == 2)
        #expect(Self.value("tagway_log_commit_batch_events_sum", in: text) == 5)
        #expect(Self.value(#"tagway_log_commit_batch_events_bucket{le="0.0"}"#, in: text) == 0)
        #expect(Self.value(#"tagway_log_commit_batch_events_bucket{le="1.0"}"#, in: text) == 1)
        #expect(Self.value(#"tagway_log_commit_batch_events_bucket{le="2.0"}"#, in: text) == 1)
        #expect(Self.value(#"tagway_log_commit_batch_events_bucket{le="4.0"}"#, in: text) == 2)
        #expect(Self.value(#"tagway_log_commit_batch_events_bucket{le="1048576.0"}"#, in: text) == 2)
        let sizes = log.commitBatchSizes
        #expect(sizes.commits == 2 && sizes.events == 5 && sizes.largest == 4)
    }
}
