import Prometheus
import TagwayEventLog

/// The process's one Prometheus registry and the swift-metrics factory that records into it.
///
/// `tagway run` makes one and bootstraps swift-metrics with `factory` (once per process); the
/// gateway records its own figures into `registry` and serves it at `GET /metrics`. Tests make
/// their own, so each sees only its gateway's figures.
public struct GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    /// A commit takes about a millisecond without fsync and tens with one; a sink batch is a
    /// network round trip, up to its timeout.
    static let appendBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5),
    ]
    static let batchBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            MetricName.logAppendDuration.name: Self.appendBuckets,
            MetricName.sinkBatchDuration: Self.batchBuckets,
        ]
        self.factory = factory
    }

    /// Records each transaction of the log's group commit: once per transaction, never per event.
    public var commitObserver: CommitObserver {
        let registry = self.registry
        let duration = registry.makeDurationHistogram(descriptor: MetricName.logAppendDuration.descriptor,
                                                      buckets: Self.appendBuckets)
        let appends = registry.makeCounter(descriptor: MetricName.logAppends.descriptor)
        let events = registry.makeCounter(descriptor: MetricName.logAppendedEvents.descriptor)
        // The log's own power-of-two buckets (`EventLog.commitBatchSizes`), so both agree.
        let batch = registry.makeValueHistogram(descriptor: MetricName.logCommitBatch.descriptor,
                                                buckets: CommitBatchSizes.upperBounds.map(Double.init))
        return { figures in
            duration.record(figures.duration)
            batch.record(Double(figures.events))
            appends.increment()
            events.increment(by: Int64(figures.events))
        }
    }
}
