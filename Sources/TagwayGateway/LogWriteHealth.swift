import Metrics
import Synchronization
import TagwayModel
import TagwayRuntime

/// How writing the event log goes, for status.json, `tagway status` and metrics: events held in
/// memory because the log refused them, since when, the last error, and reads dropped by
/// back-pressure once the held events reached their bound.
///
/// Written by the pipeline, read by the status writer under a lock, so the status never waits on
/// a log (or a pipeline) that is stuck.
public final class LogWriteHealth: Sendable {
    public struct Snapshot: Sendable, Hashable {
        public var heldEvents = 0
        /// When the current episode of failed writes began (nil while writes succeed).
        public var failingSince: Timestamp?
        public var lastError: String?
        public var lastErrorTime: Timestamp?
        /// Reads dropped because `heldEvents` reached the bound, since start.
        public var droppedReads = 0
        /// A fault that stopped the gateway (the log damaged, deleted or replaced).
        public var fatal: String?

        public var json: String {
            var w = JSONObjectWriter()
            w.number("heldEvents", Int64(heldEvents))
            if let failingSince { w.string("failingSince", failingSince.iso8601) }
            if let lastError { w.string("lastError", lastError) }
            if let lastErrorTime { w.string("lastErrorTime", lastErrorTime.iso8601) }
            w.number("droppedReads", Int64(droppedReads))
            if let fatal { w.string("fatal", fatal) }
            return w.finish()
        }
    }

    private let state = Mutex(Snapshot())
    private let metrics: any MetricsFactory
    /// Signalled on every change (status.json is rewritten from it).
    public let changes = ChangeSignal()

    public init(metrics: any MetricsFactory = MetricsSystem.factory) {
        self.metrics = metrics
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    func held(_ count: Int) {
        state.withLock { $0.heldEvents = count }
        changes.signal()
        Gauge(label: "tagway_events_held", factory: metrics).record(count)
    }

    func writeFailed(_ error: String, held: Int, at time: Timestamp) {
        state.withLock {
            if $0.failingSince == nil { $0.failingSince = time }
            $0.lastError = error
            $0.lastErrorTime = time
            $0.heldEvents = held
        }
        changes.signal()
        Gauge(label: "tagway_events_held", factory: metrics).record(held)
    }

    func writesRecovered() {
        state.withLock {
            $0.failingSince = nil
            $0.heldEvents = 0
        }
        changes.signal()
        Gauge(label: "tagway_events_held", factory: metrics).record(0)
    }

    func readsDropped(_ count: Int, reader: String) {
        state.withLock { $0.droppedReads += count }
        changes.signal()
        Counter(label: "tagway_reads_dropped_total", dimensions: [("reader", reader)], factory: metrics).increment(by: count)
    }

    func stopped(by fault: String) {
        state.withLock { $0.fatal = fault }
        changes.signal()
    }
}
