import Foundation
import Logging
import Metrics
import Synchronization
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// Publishes each event into a NATS JetStream stream (issue 17) through libnats: on the subject
/// from the template, with header `Nats-Msg-Id` = the event id, asynchronously with at most
/// `maxInFlight` PubAcks awaited (`PublishWindow`), in log order. The batch counts as delivered
/// only when every event's PubAck came; a PubAck that says `duplicate` (the stream had the id,
/// from an earlier attempt) counts as delivered and in `tagway_jetstream_duplicates_total`.
///
/// A failed publish rewinds the window to 1 and sends the unacked events again, a few times
/// within one attempt (a leader election answers "no responders" for a moment); past that,
/// without progress for `ackTimeout`, or when the connection drops, the batch is retried by the
/// outbox with its backoff on a new connection, which moves the cursor only after the PubAcks.
/// The stream's de-duplication turns these retries into exactly-once in the stream, as long as
/// its window is longer than the worst retry; the window's slow start keeps each gateway's
/// events in log order through them.
public final class JetStreamSink: Sink, Sendable {
    public let id: String
    public var kind: String { "jetstream" }
    let options: JetStreamOptions
    let timers: GatewayClock
    let answers = JetStreamAnswers()
    private let metrics: any MetricsFactory
    /// The client (made by the first delivery or `start`), whether its stream was checked, and
    /// whether `shutdown` ran (a delivery after it makes no client that nobody would close).
    private let client = Mutex<(client: NATSClient?, streamReady: Bool, closed: Bool)>((nil, false, false))
    private let logger = Logger(label: "tagway.jetstream")
    /// Where connects, stream checks and the close run, one at a time (see `prepare`).
    private let connecting = DispatchQueue(label: "tagway.jetstream.connect")
    /// The publish window's size, kept from batch to batch (`PublishWindow`: slow start).
    let windowSize = Mutex(1)
    /// What status shows (JetStreamSink+Details).
    let details = Mutex(JetStreamDetails())
    /// Rewinds within one attempt before the batch goes back to the outbox's backoff.
    static let rewindsPerAttempt = 3
    /// The header with the gateway's wall clock at each publish, in milliseconds since the epoch
    /// (the site compares it with the stream's store time to tell a clock that is off).
    public static let sentAtHeader = "Tagway-Sent-At"
    /// The header with the identity of the gateway's event log (`JetStreamOptions.logID`).
    public static let logIDHeader = "Tagway-Log-Id"

    public init(id: String, options: JetStreamOptions, timers: GatewayClock = .system,
                metrics: any MetricsFactory = MetricsSystem.factory) {
        self.id = id
        self.options = options
        self.timers = timers
        self.metrics = metrics
    }

    /// Connects and creates or checks the stream now, so its warnings show at start rather than
    /// with the first event; a failure is logged and tried again by the first delivery.
    public func start() {
        Task {
            if case .failure(let failure) = await prepare() { logger.warning("sink \(id): \(failure.description)") }
        }
    }

    public func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome {
        let client: NATSClient
        let prepared = await prepare()
        detailsMayHaveChanged()
        switch prepared {
        case .success(let ready): client = ready
        case .failure(let failure): return failure.permanent ? .rejected(reason: failure.description) : .retry(reason: failure.description, after: nil)
        }
        answers.begin()
        defer { answers.end() }
        var window = PublishWindow(count: events.count, limit: options.maxInFlight, size: windowSize.withLock { $0 })
        var index: [String: Int] = [:]
        for (i, event) in events.enumerated() { index[event.id] = i }
        var lastProgress = timers.stopwatch()
        var problem: String?
        let disconnects = answers.disconnects
        defer {
            windowSize.withLock { $0 = window.size }
            countDuplicates(window.duplicates)
        }
        while !window.isComplete {
            if Task.isCancelled { return .retry(reason: "stopping", after: nil) }
            // What was sent before a disconnect may be lost without an answer: the attempt
            // ends, and the next one connects anew and sends from the first unacked event.
            if answers.disconnects != disconnects {
                window.timedOut()
                return .retry(reason: "\(answers.lastProblem ?? "disconnected") (\(window.delivered)/\(events.count) stored)", after: nil)
            }
            while let i = window.nextToSend() {
                let event = events[i]
                do throws(NATSClient.Failure) {
                    try client.publish(subject: JetStreamSubject.render(options.subject, event, site: options.site),
                                       payload: Array(event.json.utf8), id: event.id, sentAt: timers.wall(),
                                       logID: options.logID)
                } catch {
                    problem = error.description
                    window.failed(i)
                    break
                }
            }
            for (id, answer) in answers.drain() {
                guard let i = index[id] else { continue }
                switch answer {
                case .stored(let duplicate):
                    if window.acked(i, duplicate: duplicate) { lastProgress = timers.stopwatch() }
                case .failed(let text):
                    problem = text
                    window.failed(i)
                }
            }
            if window.isComplete { break }
            if window.rewinds > Self.rewindsPerAttempt {
                return .retry(reason: "JetStream refused the publish: \(problem ?? "unknown") (\(window.delivered)/\(events.count) stored)", after: nil)
            }
            if lastProgress.elapsed() >= options.ackTimeout {
                window.timedOut()
                let state = answers.connected ? "connected" : "not connected: \(answers.lastProblem ?? "no server answers")"
                return .retry(reason: "no PubAck within \(options.ackTimeout) (\(window.delivered)/\(events.count) stored; \(state))", after: nil)
            }
            await answers.wakeup.wait(timeout: .milliseconds(100), clock: timers)
        }
        return .delivered
    }

    private func countDuplicates(_ count: Int) {
        defer { detailsMayHaveChanged() }
        guard count > 0 else { return }
        details.withLock { $0.duplicates += count }
        Counter(label: "tagway_jetstream_duplicates_total", dimensions: [("sink", id)], factory: metrics).increment(by: count)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// Retrying cannot help (the stream cannot take the sink's subjects): the sink stops.
        var permanent = false
    }

    /// The client, connected, with the stream created or checked once. libnats' connect and
    /// the stream's requests block (a connect timeout per server, a request timeout), so they
    /// run on this sink's own serial queue, never on one of the few threads every task of the
    /// gateway shares.
    private func prepare() async -> Result<NATSClient, Failure> {
        if answers.connected, let ready = client.withLock({ $0.streamReady ? $0.client : nil }) { return .success(ready) }
        return await withCheckedContinuation { continuation in
            connecting.async { continuation.resume(returning: self.prepareBlocking()) }
        }
    }

    private func prepareBlocking() -> Result<NATSClient, Failure> {
        let state = client.withLock { $0 }
        if state.closed { return .failure(Failure(description: "the sink is shut down")) }
        let nats: NATSClient
        if let existing = state.client, answers.connected {
            nats = existing
        } else {
            // A dropped connection is closed for good (see NATSClient): its replacement is new.
            if let dead = state.client {
                client.withLock { $0.client = nil }
                dead.close()
            }
            do throws(NATSClient.Failure) {
                nats = try NATSClient(options: options, answers: answers)
                // A new connection knows nothing of the stream's state: the window starts small.
                windowSize.withLock { $0 = 1 }
            } catch {
                return .failure(Failure(description: error.description))
            }
            client.withLock { $0.client = nats }
        }
        if state.streamReady { return .success(nats) }
        do throws(NATSClient.Failure) {
            let spec = options.stream
            switch spec.decide(existing: try nats.streamInfo(spec.name), template: options.subject, site: options.site,
                              worstRetry: options.worstRetry) {
            case .create:
                try nats.addStream(spec)
                logger.notice("sink \(id): created stream \(spec.name) (subjects \(spec.subjects), \(spec.replicas) replicas)")
            case .missing(let text):
                return .failure(Failure(description: text))
            case .unusable(let text):
                return .failure(Failure(description: text, permanent: true))
            case .use(let warnings):
                for warning in warnings { logger.warning("sink \(id): \(warning)") }
            }
        } catch {
            return .failure(Failure(description: error.description))
        }
        client.withLock { $0.streamReady = true }
        return .success(nats)
    }

    /// Closes the connection, after a connect or stream check under way (on the same queue).
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            connecting.async {
                let taken = self.client.withLock { state -> NATSClient? in
                    defer { state = (nil, false, true) }
                    return state.client
                }
                taken?.close()
                continuation.resume()
            }
        }
    }
}
