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
/// A failed publish rewinds the window and sends the unacked events again, a few times within
/// one attempt (a leader election answers "no responders" for a moment); past that, or without
/// progress for `ackTimeout`, the batch is retried by the outbox with its backoff, which moves
/// the cursor only after the PubAcks. The stream's de-duplication turns these retries into
/// exactly-once in the stream, as long as its window is longer than the worst retry.
public final class JetStreamSink: Sink, Sendable {
    public let id: String
    public var kind: String { "jetstream" }
    let options: JetStreamOptions
    let timers: GatewayClock
    let answers = JetStreamAnswers()
    private let metrics: any MetricsFactory
    /// The client (made by the first delivery or `start`), whether its stream was checked, and
    /// whether `shutdown` ran (a `start` still connecting then makes no client that nobody closes).
    private let client = Mutex<(client: NATSClient?, streamReady: Bool, closed: Bool)>((nil, false, false))
    private let logger = Logger(label: "tagway.jetstream")
    /// Rewinds within one attempt before the batch goes back to the outbox's backoff.
    static let rewindsPerAttempt = 3

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
        switch await prepare() {
        case .success(let ready): client = ready
        case .failure(let failure): return failure.permanent ? .rejected(reason: failure.description) : .retry(reason: failure.description, after: nil)
        }
        answers.begin()
        defer { answers.end() }
        var window = PublishWindow(count: events.count, limit: options.maxInFlight)
        var index: [String: Int] = [:]
        for (i, event) in events.enumerated() { index[event.id] = i }
        var lastProgress = timers.stopwatch()
        var problem: String?
        var disconnects = answers.disconnects
        defer { countDuplicates(window.duplicates) }
        while !window.isComplete {
            if Task.isCancelled { return .retry(reason: "stopping", after: nil) }
            // What was sent before a disconnect may be lost without an answer: send it again,
            // from the first unacked event, once connected (never into libnats' reconnect
            // buffer, which would put later events into the stream before the lost ones).
            if answers.disconnects != disconnects {
                disconnects = answers.disconnects
                problem = answers.lastProblem ?? "disconnected"
                window.timedOut()
            }
            while answers.connected, let i = window.nextToSend() {
                let event = events[i]
                do throws(NATSClient.Failure) {
                    try client.publish(subject: JetStreamSubject.render(options.subject, event, site: options.site),
                                       payload: Array(event.json.utf8), id: event.id)
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
        guard count > 0 else { return }
        Counter(label: "tagway_jetstream_duplicates_total", dimensions: [("sink", id)], factory: metrics).increment(by: count)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// Retrying cannot help (the stream cannot take the sink's subjects): the sink stops.
        var permanent = false
    }

    /// The client, connected, with the stream created or checked once.
    private func prepare() async -> Result<NATSClient, Failure> {
        let made = client.withLock { state -> Result<NATSClient, Failure> in
            if let existing = state.client { return .success(existing) }
            if state.closed { return .failure(Failure(description: "the sink is shut down")) }
            do throws(NATSClient.Failure) {
                let created = try NATSClient(options: options, answers: answers)
                state.client = created
                return .success(created)
            } catch {
                return .failure(Failure(description: error.description))
            }
        }
        guard case .success(let nats) = made else { return made }
        if client.withLock({ $0.streamReady }) { return .success(nats) }
        let watch = timers.stopwatch()
        while !answers.connected, watch.elapsed() < options.ackTimeout, !Task.isCancelled {
            await answers.wakeup.wait(timeout: .milliseconds(200), clock: timers)
        }
        guard answers.connected else {
            return .failure(Failure(description: "not connected to \(options.servers.joined(separator: ", "))"
                + (answers.lastProblem.map { " (\($0))" } ?? "")))
        }
        do throws(NATSClient.Failure) {
            let spec = options.stream
            switch spec.decide(existing: try nats.streamInfo(spec.name), template: options.subject, site: options.site) {
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

    public func shutdown() async {
        let taken = client.withLock { state -> NATSClient? in
            defer { state = (nil, false, true) }
            return state.client
        }
        taken?.close()
    }
}
