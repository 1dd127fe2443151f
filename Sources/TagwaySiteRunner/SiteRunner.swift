import Foundation
import Logging
import Synchronization
import TagwayConfig
import TagwayDelivery
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks
import TagwaySite

/// The `tagway site` process's shell (issue 17): it connects, takes the site's lease, restores
/// the view from the bucket, then feeds the durable consumer's messages to `SiteView` and carries
/// out each output in order: site events published (each waits for its PubAck), asset rows put
/// or deleted, positions written, and only then the applied gateway messages acked. A message
/// still held for ordering is not acked (it is kept alive with in-progress acks), so whatever
/// kills this process, the next one resumes from the bucket and the stream redelivers the rest;
/// site event ids are deterministic, so what is published twice is de-duplicated by the stream.
/// It decides nothing itself: `SiteView` and `SiteLease` do.
public final class SiteRunner: Sendable {
    public struct Options: Sendable {
        /// How long the stream waits for an ack before it redelivers: what a standby waits,
        /// after taking over, for the messages the dead process had not acked.
        public var ackWait: Duration = .seconds(30)
        public var batch = 256
        /// The longest a fetch waits for messages (the view's deadlines are checked in between).
        public var fetchWait: Duration = .milliseconds(250)
        /// This process in the lease row (host and pid by default).
        public var owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        public var clock: GatewayClock = .system
        /// Between two attempts after a connection or NATS failure.
        public var retryDelay: Duration = .seconds(1)
        /// Between two attempts to build sinks that could not be built when the lease was taken.
        public var sinkRebuild: Duration = .seconds(30)

        public init() {}
    }

    /// What the process did, for logs, status and tests.
    public struct Counters: Sendable, Hashable {
        public var received = 0
        public var notEvents = 0
        public var published = 0
        public var problems = 0
        public var failures = 0
        public var active = false
        public var lastProblem: String?
        /// The problems by kind (`/v1/status`, `/metrics`): gaps skipped, clock skew reported,
        /// reorder buffer overflows, departures superseded by a sighting elsewhere.
        public var gaps = 0
        public var clockSkew = 0
        public var reorderOverflows = 0
        public var superseded = 0
        /// Gateway logs replaced by a new one (a recreated log), and events of a replaced log
        /// that came after its replacement (`GatewayLogSequencers`).
        public var logsReplaced = 0
        public var replacedLogEvents = 0
    }

    let config: SiteConfiguration
    let options: Options
    let logger: Logger
    /// The site sinks' status (each worker writes it; the API shows it), across sessions.
    public let board = SinkStatusBoard()
    /// What the sessions found of JetStream, for `/readyz` (`SiteReadiness`).
    let jetstream = SiteJetStreamHealth()
    private let state = Mutex(Counters())

    public init(config: SiteConfiguration, options: Options = Options(), logger: Logger = Logger(label: "tagway.site")) {
        self.config = config
        self.options = options
        self.logger = logger
    }

    public var counters: Counters { state.withLock { $0 } }

    func count(_ change: (inout Counters) -> Void) { state.withLock { change(&$0) } }

    /// Runs until the task is cancelled (SIGTERM): then applies what is held, carries it out,
    /// and returns. A NATS failure starts over (new connection, the bucket read again).
    public func run() async {
        while !Task.isCancelled {
            do {
                try await session()
            } catch {
                jetstream.failed(error)
                count {
                    $0.failures += 1
                    $0.active = false
                    $0.lastProblem = error.description
                }
                logger.warning("site \(config.site): \(error.description); starting over in \(options.retryDelay)")
                _ = await options.clock.sleep(for: options.retryDelay)
            }
        }
    }

    /// One connection's life: lease, restore, consume. Whichever way it ends, its libnats objects
    /// are freed once, in order (the `defer`s, last first): the messages still held, the sinks'
    /// and the consumer's JetStream contexts (the pull subscription freed, the durable consumer
    /// kept), then the connection. Every libnats call of the session has returned by then (each
    /// is awaited, and the sinks are stopped before).
    private func session() async throws(SiteJetStream.Failure) {
        let connection: NATSConnection
        let connectOptions = try natsOptions()
        do { connection = try NATSConnection(options: connectOptions) } catch { throw SiteJetStream.Failure(description: error.description) }
        defer { connection.close() }
        let nats = try SiteJetStream(connection: connection, wait: .seconds(5))
        defer { nats.close() }
        try nats.openBucket(config.bucket.name, replicas: config.bucket.replicas)
        try nats.ensureStream(config.events.stream)
        jetstream.opened(connection)
        defer { jetstream.closed() }
        var lease = SiteLease(ttl: config.bucket.leaseTTL)
        guard try await acquire(&lease, nats) else { return }
        count { $0.active = true }
        logger.info("site \(config.site): active (lease in bucket \(config.bucket.name))")
        // A step the previous holder recorded but may not have finished: finish it first.
        let recorded = try SiteStep.recorded(nats)
        if let recorded { try recorded.step.replay(nats, oneByOne: true) }
        let rows = SiteBucketRows.decode(try nats.entries())
        for key in rows.unreadable { logger.warning("site \(config.site): bucket row \(key) is not readable; ignored") }
        var machine = SiteMovementMachine(settings: config.view, rules: SiteRules(config.rules))
        machine.restore(rows.assets)
        let consumer = SiteConsumer(runner: self, nats: nats, view: SiteView(restoring: machine, positions: rows.positions),
                                    resume: rows.positions.mapValues(\.next))
        defer { consumer.abandon() }
        consumer.stepHeader = recorded?.header
        try nats.subscribe(stream: config.stream, filter: config.subjects, durable: config.consumer, ackWait: options.ackWait)
        let keeper = SiteLeaseKeeper(lease: lease, nats: nats, value: leaseValue, clock: options.clock)
        consumer.beforeStep = { [jetstream] () throws(SiteJetStream.Failure) in
            try keeper.check()
            jetstream.read()
        }
        // The sinks run while this process holds the lease, on a JetStream context of their own.
        let outboxNATS = try SiteJetStream(connection: connection, wait: .seconds(5))
        defer { outboxNATS.close() }
        try outboxNATS.openBucket(config.bucket.name, replicas: config.bucket.replicas)
        let outbox = try await SiteOutbox.start(config.sinks, site: config.site,
                                                log: SiteEventStreamLog(nats: outboxNATS, stream: config.events.stream, logger: logger),
                                                board: board, logger: logger, clock: options.clock, rebuildEvery: options.sinkRebuild)
        consumer.published = { outbox.notify() }
        do { try await consume(consumer, keeper) } catch {
            await outbox.stop()
            throw error
        }
        await outbox.stop()
    }

    /// Steps the consumer until cancelled (then applies what is held) or the lease is lost.
    private func consume(_ consumer: SiteConsumer, _ keeper: SiteLeaseKeeper) async throws(SiteJetStream.Failure) {
        while !Task.isCancelled {
            do { try keeper.check() } catch {
                count { $0.active = false }
                consumer.abandon()
                throw error
            }
            // The libnats calls block (a fetch waits up to `fetchWait`): they run on a queue of
            // their own, never on a thread of the cooperative pool.
            try await blocking { () throws(SiteJetStream.Failure) in try consumer.step() }
            jetstream.read()
        }
        try await blocking { () throws(SiteJetStream.Failure) in try consumer.stop() }
        count { $0.active = false }
    }

    private let natsQueue = DispatchQueue(label: "tagway.site.nats")

    /// Runs `body` on the libnats queue and waits for it without holding a pool thread.
    private func blocking(_ body: @escaping @Sendable () throws(SiteJetStream.Failure) -> Void) async throws(SiteJetStream.Failure) {
        let result: Result<Void, SiteJetStream.Failure> = await withCheckedContinuation { continuation in
            natsQueue.async { continuation.resume(returning: Result { () throws(SiteJetStream.Failure) in try body() }) }
        }
        try result.get()
    }

    /// Waits as a standby until this process holds the lease; false when cancelled first.
    private func acquire(_ lease: inout SiteLease, _ nats: SiteJetStream) async throws(SiteJetStream.Failure) -> Bool {
        var announced = false
        while !Task.isCancelled {
            let now = leaseNow()
            switch lease.action(at: now) {
            case .create:
                if let revision = nats.create(SiteBucketRows.leaseKey, leaseValue) {
                    lease.wrote(revision: revision, at: now)
                    return true
                }
                lease.observed(revision: try nats.get(SiteBucketRows.leaseKey)?.revision, at: now)
                jetstream.read()
            case .takeOver(let revision):
                if let next = nats.update(SiteBucketRows.leaseKey, leaseValue, last: revision) {
                    lease.wrote(revision: next, at: now)
                    logger.info("site \(config.site): took the lease over (not renewed for \(config.bucket.leaseTTL))")
                    return true
                }
                lease.observed(revision: try nats.get(SiteBucketRows.leaseKey)?.revision, at: now)
                jetstream.read()
            case .renew: return true
            case .wait:
                if !announced {
                    logger.info("site \(config.site): another process holds the lease; standing by")
                    announced = true
                }
                _ = await options.clock.sleep(for: standbyPoll)
                lease.observed(revision: try nats.get(SiteBucketRows.leaseKey)?.revision, at: leaseNow())
                jetstream.read()
            }
        }
        return false
    }

    private var leaseValue: [UInt8] { Array("{\"owner\":\(JSONObjectWriter.quote(options.owner))}".utf8) }

    /// The lease's clock: this process's own (the injected wall clock), never compared with
    /// another process's; a standby measures how long the lease row stood still by it.
    private func leaseNow() -> Timestamp {
        Timestamp(milliseconds: options.clock.wall().milliseconds)
    }

    /// The connection's options with `env:`/`file:` secrets read now (a missing one is a failure, retried).
    func natsOptions() throws(SiteJetStream.Failure) -> JetStreamOptions {
        func secret(_ ref: SecretRef) throws(SiteJetStream.Failure) -> String {
            guard let value = ref.resolve(ProcessInfo.processInfo.environment) else {
                throw SiteJetStream.Failure("nats.auth: the secret \(ref) \(ref.unavailableReason)")
            }
            return value
        }
        var login: JetStreamOptions.Login?
        switch config.nats.auth {
        case nil: login = nil
        case .user(let name, let password)?: login = .user(name: name, password: try secret(password))
        case .token(let token)?: login = .token(try secret(token))
        case .nkeySeed(let seed)?: login = .nkeySeed(try secret(seed))
        case .creds(let path)?: login = .creds(path: path)
        }
        return JetStreamOptions(servers: config.nats.servers, site: config.site,
                                stream: JetStreamStreamSpec(name: config.stream, subjects: [config.subjects]),
                                login: login, caFile: config.nats.tls?.ca, certFile: config.nats.tls?.cert,
                                keyFile: config.nats.tls?.key, clientName: "tagway-site-\(config.site)")
    }
}

extension SiteJetStream.Failure {
    init(_ text: String) { self.init(description: text) }
}
