import Prometheus
import TagwayAPI
import TagwayOutbox
import TagwayRuntime

/// The site process's `/metrics` (the gateway's library, Prometheus text format): brought up to
/// date when scraped, from the runner's running totals (turned into counter increments by
/// `CounterDeltas`), the durable consumer's lag and the site sinks' status board.
actor SiteMetricsCollector {
    private let registry: PrometheusCollectorRegistry
    private let runner: SiteRunner
    private let reader: SiteReader
    private var deltas = CounterDeltas()
    private var counters: [String: Counter] = [:]
    private var gauges: [String: Gauge] = [:]

    init(registry: PrometheusCollectorRegistry, runner: SiteRunner, reader: SiteReader) {
        self.registry = registry
        self.runner = runner
        self.reader = reader
    }

    nonisolated var endpoint: MetricsEndpoint { MetricsEndpoint(registry: registry) { await self.collect() } }

    func collect() async {
        let c = runner.counters
        let config = runner.config
        set("tagway_site_active", "1 while this process holds the site's lease, 0 as a standby", [], c.active ? 1 : 0)
        count("tagway_site_messages_received_total", "Messages of the gateways' stream received", [], c.received)
        count("tagway_site_events_published_total", "Site events published (each after its PubAck)", [], c.published)
        count("tagway_site_failures_total", "Sessions ended by a NATS failure or a lost lease", [], c.failures)
        for (kind, total) in [("not_an_event", c.notEvents), ("gap", c.gaps), ("clock_skew", c.clockSkew),
                              ("reorder_overflow", c.reorderOverflows), ("superseded", c.superseded),
                              ("log_replaced", c.logsReplaced), ("replaced_log_event", c.replacedLogEvents)] {
            count("tagway_site_problems_total", "Problems counted, by kind", [("kind", kind)], total)
        }
        if let pending = try? await reader.read({ nats throws(SiteJetStream.Failure) in
            try nats.consumerPending(stream: config.stream, consumer: config.consumer)
        }) {
            set("tagway_site_consumer_pending", "Messages the durable consumer has not delivered yet (lag)", [], Double(pending.pending))
            set("tagway_site_consumer_ack_pending", "Messages delivered and not acked yet", [], Double(pending.ackPending))
        }
        for sink in runner.board.snapshot {
            let labels = [("sink", sink.id), ("kind", sink.kind)]
            set("tagway_site_sink_cursor", "Last site event seq the sink confirmed", labels, Double(sink.cursor))
            set("tagway_site_sink_head", "Newest site event seq the sink has seen", labels, Double(sink.head))
            count("tagway_site_sink_delivered_total", "Site events delivered by this process", labels, sink.delivered)
            count("tagway_site_sink_retries_total", "Batches re-attempted after a failure", labels, sink.retried)
        }
    }

    private func count(_ name: String, _ help: String, _ labels: [(String, String)], _ total: Int) {
        let key = Self.key(name, labels)
        let increment = deltas.advance(key, to: total)
        if counters[key] == nil {
            counters[key] = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        }
        counters[key]?.increment(by: Int64(increment))
    }

    private func set(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
        let key = Self.key(name, labels)
        if gauges[key] == nil {
            gauges[key] = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        }
        gauges[key]?.set(value)
    }

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        labels.reduce(name) { $0 + "\u{1F}" + $1.0 + "=" + $1.1 }
    }
}
