import Metrics

/// The outbox's figures as swift-metrics counters and gauges, for whatever metrics backend the
/// process bootstraps (none by default: then they cost next to nothing). The same figures are
/// in `tagway status`; metrics are for alerting on them.
///
/// - `tagway_sink_delivered_events_total{sink}`, `tagway_sink_retries_total{sink}`,
///   `tagway_sink_failed_events_total{sink}`, `tagway_sink_backlog_events{sink}`,
///   `tagway_sink_last_success_timestamp_seconds{sink}` (Unix time of the last confirmed batch),
///   `tagway_sink_batch_duration_seconds{sink}` (a histogram: one delivery attempt, answered or not)
/// - `tagway_retention_over_bound` (1 while undelivered events exceed the retention bound),
///   `tagway_retention_dropped_events_total` (undelivered events deleted under `drop-oldest`)
public struct OutboxMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Records what changed between two snapshots of a sink's status.
    func sinkChanged(from old: SinkStatus, to new: SinkStatus) {
        let dimensions = [("sink", new.id)]
        if new.delivered > old.delivered {
            Counter(label: "tagway_sink_delivered_events_total", dimensions: dimensions, factory: factory)
                .increment(by: new.delivered - old.delivered)
        }
        if new.retried > old.retried {
            Counter(label: "tagway_sink_retries_total", dimensions: dimensions, factory: factory).increment(by: new.retried - old.retried)
        }
        if new.failed > old.failed {
            Counter(label: "tagway_sink_failed_events_total", dimensions: dimensions, factory: factory).increment(by: new.failed - old.failed)
        }
        Gauge(label: "tagway_sink_backlog_events", dimensions: dimensions, factory: factory).record(new.backlog)
        if let success = new.lastSuccess, success != old.lastSuccess {
            Gauge(label: "tagway_sink_last_success_timestamp_seconds", dimensions: dimensions, factory: factory)
                .record(Double(success.milliseconds) / 1000)
        }
    }

    /// Records how long one delivery attempt of a batch took (once per batch, never per event).
    func batchAttempted(sink: String, took duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        Timer(label: "tagway_sink_batch_duration_seconds", dimensions: [("sink", sink)], factory: factory).recordSeconds(max(0, seconds))
    }

    func retention(overBound: Bool, dropped: Int) {
        Gauge(label: "tagway_retention_over_bound", factory: factory).record(overBound ? 1 : 0)
        if dropped > 0 { Counter(label: "tagway_retention_dropped_events_total", factory: factory).increment(by: dropped) }
    }
}
