import Foundation
import Prometheus
import TagwayEventLog
import TagwayFilters
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// Brings the registry's scrape-time figures up to date, each time `/metrics` is asked for.
///
/// Collected at scrape time, from what the gateway already keeps: reader health (HealthBoard),
/// the debouncer's and engine's plain counters (copied out of the pipeline in one hop), the log's
/// committed seq and file sizes, the sinks' status board, and /proc for the process. Nothing here
/// runs per read, and a gateway nobody scrapes pays nothing. Recorded as they happen instead
/// (once per batch, never per read): log commits (`GatewayMetrics.commitObserver`) and sink
/// deliveries (`OutboxMetrics`).
///
/// The sources keep running totals; Prometheus counters only take increments, so each total is
/// turned into one (`CounterDeltas`): the published counters never go down. An actor, so two
/// scrapes at once take turns instead of counting an increment twice.
public actor GatewayMetricsCollector {
    private let registry: PrometheusCollectorRegistry
    private let health: HealthBoard
    private let pipeline: Pipeline
    private let log: EventLog
    private let sinks: SinkStatusBoard
    private var deltas = CounterDeltas()
    private var counters: [String: Counter] = [:]
    private var gauges: [String: Gauge] = [:]
    private var cpuSeconds = 0.0

    public init(registry: PrometheusCollectorRegistry, health: HealthBoard, pipeline: Pipeline, log: EventLog,
                sinks: SinkStatusBoard) {
        self.registry = registry
        self.health = health
        self.pipeline = pipeline
        self.log = log
        self.sinks = sinks
    }

    public func collect() async {
        let figures = await pipeline.figures
        readers(health.snapshot)
        engine(figures)
        logFiles()
        sinkStatus(sinks.snapshot)
        for reason in ["missing", "wrong"] { count(MetricName.apiAuthFailures, [("reason", reason)], by: 0) }
        filterFigures(health.filters)
        count(MetricName.retentionDropped, [], by: 0)
        if let process = ProcessFigures.current() { self.process(process) }
    }

    private func readers(_ readers: [ReaderHealth]) {
        for reader in readers {
            let labels = [("reader", reader.reader)]
            set(MetricName.readerConnected, labels, reader.connected ? 1 : 0)
            count(MetricName.readerFrames, labels, total: reader.frames)
            count(MetricName.readerReconnects, labels, total: reader.reconnects)
            if let bytes = reader.bytes { count(MetricName.readerBytes, labels, total: bytes) }
            if let dropped = reader.captureDropped { count(MetricName.readerCaptureDropped, labels, total: dropped) }
            if let last = reader.lastFrame { set(MetricName.readerLastFrame, labels, Double(last.milliseconds) / 1000) }
            if let skew = reader.details?.clockSkew { set(MetricName.readerClockSkew, labels, Double(skew.wholeMilliseconds) / 1000) }
            for (reason, total) in reader.decodeDrops {
                count(MetricName.readerDecodeDrops, [("reader", reader.reader), ("reason", reason)], total: total)
            }
            // `errors` also holds the decoder's drops (in bytes, for status): they are published above.
            for (kind, total) in reader.errors where reader.decodeDrops[kind] == nil && !Self.dropReasons.contains(kind) {
                count(MetricName.readerErrors, [("reader", reader.reader), ("kind", kind)], total: total)
            }
        }
    }

    /// Tag filters' drops by reader and reason, reference reads, and each reference tag's last
    /// read (an alert compares it with `time()`: the collector keeps no clock of its own).
    private func filterFigures(_ board: FilterBoard) {
        for (reader, counts) in board.allCounts {
            for reason in FilterDropReason.allCases {
                count(MetricName.filterDroppedReads, [("reader", reader), ("reason", reason.rawValue)], total: counts[reason])
            }
            count(MetricName.referenceReads, [("reader", reader)], total: counts.referenceReads)
        }
        for state in board.references {
            let labels = [("reader", state.spec.reader), ("tag", state.spec.tag.description)]
            set(MetricName.referenceTagLastRead, labels, Double((state.lastSeen ?? state.since).milliseconds) / 1000)
            set(MetricName.referenceTagExpectEvery, labels, Double(state.spec.expectEvery.wholeMilliseconds) / 1000)
        }
    }

    /// Keys of `ReaderHealth.errors` that are decoder drops, even before `decodeDrops` has them.
    static let dropReasons: Set<String> = ["garbage", "bad-checksum", "overlong", "truncated", "malformed",
                                           "truncated-scan", "overlong-scan", "unmapped-key", "malformed-report", "error-report"]

    private func engine(_ figures: PipelineFigures) {
        count(MetricName.engineReads, [], total: figures.movement.reads)
        count(MetricName.engineScans, [], total: figures.movement.scans)
        count(MetricName.engineEvictions, [], total: figures.movement.evictions)
        let events = figures.movement
        for (type, total) in [("arrived", events.arrived), ("moved", events.moved), ("departed", events.departed),
                              ("passed", events.passed), ("observed", events.observed), ("alert", events.alerts)] {
            count(MetricName.engineEvents, [("type", type)], total: total)
        }
        set(MetricName.engineAssets, [], Double(figures.trackedAssets))
        set(MetricName.debouncerPresences, [], Double(figures.presences))
        count(MetricName.debouncerEvictions, [], total: figures.debouncer.evictions)
        count(MetricName.debouncerLateReads, [], total: figures.debouncer.lateReads)
        count(MetricName.debouncerScansHeldOff, [], total: figures.debouncer.scansHeldOff)
        set(MetricName.pipelineHeldEvents, [], Double(figures.heldEvents))
    }

    /// The committed seq as this process knows it (no query: a stuck log must not stall a
    /// scrape), and the size of the file with its WAL (two `stat`s).
    private func logFiles() {
        set(MetricName.logLastSeq, [], Double(log.lastCommittedSeq))
        var size = 0
        for path in [log.path, log.path + "-wal"] {
            var info = stat()
            if stat(path, &info) == 0 { size &+= Int(info.st_size) }
        }
        set(MetricName.logSize, [], Double(size))
    }

    /// Delivery counters are recorded by the outbox as batches complete; here every sink's
    /// series are made (at 0 before its first batch) and its backlog brought up to date.
    private func sinkStatus(_ statuses: [SinkStatus]) {
        for status in statuses {
            let labels = [("sink", status.id)]
            for name in [MetricName.sinkDelivered, MetricName.sinkRetries, MetricName.sinkFailed] { count(name, labels, by: 0) }
            gauge(MetricName.sinkBacklog, help: "", labels).set(Double(status.backlog))
        }
    }

    private func process(_ figures: ProcessFigures) {
        set(MetricName.processResident, [], Double(figures.residentBytes))
        set(MetricName.processVirtual, [], Double(figures.virtualBytes))
        set(MetricName.processStart, [], figures.startTimeSeconds)
        set(MetricName.processOpenFDs, [], Double(figures.openDescriptors))
        if let max = figures.maxDescriptors { set(MetricName.processMaxFDs, [], Double(max)) }
        let cpu = MetricName.processCPU
        counter(cpu.name, help: cpu.help, []).increment(by: max(0, figures.cpuSeconds - cpuSeconds))
        cpuSeconds = max(cpuSeconds, figures.cpuSeconds)
    }

    // MARK: registry access (series cached by name and labels)

    private func count(_ metric: MetricName, _ labels: [(String, String)], total: Int) {
        let increment = deltas.advance(Self.key(metric.name, labels), to: total)
        counter(metric.name, help: metric.help, labels).increment(by: Int64(increment))
    }

    private func count(_ name: String, _ labels: [(String, String)], by increment: Int64) {
        counter(name, help: "", labels).increment(by: increment)
    }

    private func set(_ metric: MetricName, _ labels: [(String, String)], _ value: Double) {
        gauge(metric.name, help: metric.help, labels).set(value)
    }

    private func counter(_ name: String, help: String, _ labels: [(String, String)]) -> Counter {
        let key = Self.key(name, labels)
        if let known = counters[key] { return known }
        let made = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        counters[key] = made
        return made
    }

    private func gauge(_ name: String, help: String, _ labels: [(String, String)]) -> Gauge {
        let key = Self.key(name, labels)
        if let known = gauges[key] { return known }
        let made = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        gauges[key] = made
        return made
    }

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        labels.reduce(name) { $0 + "\u{1F}" + $1.0 + "=" + $1.1 }
    }
}
