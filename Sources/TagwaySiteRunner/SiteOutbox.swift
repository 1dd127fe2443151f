import Logging
import Synchronization
import TagwayConfig
import TagwayDelivery
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks

/// The site's sinks while this process holds the lease: the gateway's sinks (built by the
/// gateway's `SinkFactory` from the site's `sinks:`), each driven by the gateway's
/// `OutboxWorker` over the site events stream (`SiteEventStreamLog`). Started after the lease is
/// taken, stopped when the session ends (lease lost, NATS failure, SIGTERM), so only the active
/// process delivers; a batch in flight when the lease is lost may reach its sink twice, with the
/// same event ids, never not at all.
public final class SiteOutbox: Sendable {
    private struct Entry: Sendable {
        var sink: any Sink
        var worker: OutboxWorker
        var task: Task<Void, Never>
    }

    private struct State {
        var entries: [Entry] = []
        /// Trying again to build sinks that could not be built when the lease was taken.
        var rebuild: Task<Void, Never>?
    }

    private let state = Mutex(State())

    private init() {}

    /// Builds the sinks, reads each one's cursor from the bucket and starts its worker. The
    /// process checks at its start that they can be built (`checkSinks`); when they cannot be
    /// built now (a `file:` secret removed since), the view goes on, the failure is logged and
    /// shown in the status, and the sinks are built again every `rebuildEvery` until they are:
    /// their cursors are in the bucket, so they then forward from where they stopped, nothing
    /// lost, no restart needed.
    static func start(_ configs: [SinkConfig], site: String, log: SiteEventStreamLog, board: SinkStatusBoard,
                      logger: Logger, clock: GatewayClock, rebuildEvery: Duration) async throws(SiteJetStream.Failure) -> SiteOutbox {
        let outbox = SiteOutbox()
        guard !configs.isEmpty else { return outbox }
        let make = { () throws -> [(sink: any Sink, policy: DeliveryPolicy)] in
            try SinkFactory.make(configs, gatewayID: "site-\(site)", site: site, clock: clock.wall, timers: clock)
        }
        let built: [(sink: any Sink, policy: DeliveryPolicy)]
        do { built = try make() } catch {
            logger.error("site \(site): the sinks cannot be built (\(error)); site events are not forwarded until they can be, tried again every \(rebuildEvery)")
            for config in configs {
                var status = SinkStatus(id: config.id, kind: config.kindName)
                status.state = .stopped
                status.lastError = "cannot be built: \(error)"
                status.lastErrorTime = clock.wall()
                board.update(status)
            }
            let task = Task {
                while await clock.sleep(for: rebuildEvery) {
                    guard let built = try? make() else { continue }
                    do {
                        try await outbox.run(built, log: log, board: board, logger: logger, clock: clock)
                        logger.notice("site \(site): the sinks are built; forwarding resumes from their cursors")
                        return
                    } catch {
                        logger.error("site \(site): the sinks' cursors cannot be read (\(error)); tried again in \(rebuildEvery)")
                    }
                }
            }
            outbox.state.withLock { $0.rebuild = task }
            return outbox
        }
        try await outbox.run(built, log: log, board: board, logger: logger, clock: clock)
        return outbox
    }

    /// Reads each built sink's cursor and starts its worker; on a failure every sink of `built`
    /// is released and none runs.
    private func run(_ built: [(sink: any Sink, policy: DeliveryPolicy)], log: SiteEventStreamLog, board: SinkStatusBoard,
                     logger: Logger, clock: GatewayClock) async throws(SiteJetStream.Failure) {
        var cursors: [Int64] = []
        for (sink, _) in built {
            do { cursors.append(try await log.cursor(sink: sink.id)) } catch {
                for (unstarted, _) in built { await unstarted.shutdown() }
                throw error
            }
        }
        var entries: [Entry] = []
        for ((sink, policy), cursor) in zip(built, cursors) {
            if let detailed = sink as? any DetailedSink { board.attach(detailed) }
            let worker = OutboxWorker(sink: sink, policy: policy, log: log, cursor: cursor, board: board, logger: logger, clock: clock)
            entries.append(Entry(sink: sink, worker: worker, task: Task { await worker.run() }))
        }
        state.withLock { $0.entries = entries }
    }

    /// Builds the configured sinks once and releases them: a missing secret stops the start with
    /// its name, as a gateway's does, instead of a standby finding out when it takes over.
    public static func checkSinks(_ config: SiteConfiguration) async throws {
        let built = try SinkFactory.make(config.sinks, gatewayID: "site-\(config.site)", site: config.site, clock: { SystemClock.now() })
        for (sink, _) in built { await sink.shutdown() }
    }

    /// The site events stream grew (this process published): every worker looks.
    func notify() { state.withLock { $0.entries }.forEach { $0.worker.notify() } }

    /// Stops trying to build the sinks, then every worker (each stores the cursor of a batch its
    /// sink confirmed), then releases the sinks' connections.
    func stop() async {
        if let rebuild = state.withLock({ $0.rebuild }) {
            rebuild.cancel()
            await rebuild.value
        }
        let entries = state.withLock { $0.entries }
        for entry in entries {
            entry.task.cancel()
            entry.worker.notify()
        }
        for entry in entries {
            await entry.task.value
            await entry.sink.shutdown()
        }
    }
}
