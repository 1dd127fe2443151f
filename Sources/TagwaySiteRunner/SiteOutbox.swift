import Logging
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

    private let entries: [Entry]

    private init(entries: [Entry]) { self.entries = entries }

    /// Builds the sinks, reads each one's cursor from the bucket and starts its worker. The
    /// process checks at its start that they can be built (`checkSinks`).
    static func start(_ configs: [SinkConfig], site: String, log: SiteEventStreamLog, board: SinkStatusBoard,
                      logger: Logger, clock: GatewayClock) async throws(SiteJetStream.Failure) -> SiteOutbox {
        guard !configs.isEmpty else { return SiteOutbox(entries: []) }
        let built: [(sink: any Sink, policy: DeliveryPolicy)]
        do {
            built = try SinkFactory.make(configs, gatewayID: "site-\(site)", site: site, clock: clock.wall, timers: clock)
        } catch {
            // A secret that went missing since the start (a `file:` removed): the view goes on
            // without sinks rather than holding the lease and doing nothing; the cursors stay in
            // the bucket, so the sinks resume where they stopped once it is back (a restart).
            logger.error("site \(site): the sinks cannot be built (\(error)); site events are not forwarded until it is fixed and the process restarted")
            return SiteOutbox(entries: [])
        }
        var entries: [Entry] = []
        for (index, (sink, policy)) in built.enumerated() {
            let cursor: Int64
            do { cursor = try await log.cursor(sink: sink.id) } catch {
                await SiteOutbox(entries: entries).stop()
                for (unstarted, _) in built[index...] { await unstarted.shutdown() }
                throw error
            }
            if let detailed = sink as? any DetailedSink { board.attach(detailed) }
            let worker = OutboxWorker(sink: sink, policy: policy, log: log, cursor: cursor, board: board, logger: logger, clock: clock)
            entries.append(Entry(sink: sink, worker: worker, task: Task { await worker.run() }))
        }
        return SiteOutbox(entries: entries)
    }

    /// Builds the configured sinks once and releases them: a missing secret stops the start with
    /// its name, as a gateway's does, instead of a standby finding out when it takes over.
    public static func checkSinks(_ config: SiteConfiguration) async throws {
        let built = try SinkFactory.make(config.sinks, gatewayID: "site-\(config.site)", site: config.site, clock: { SystemClock.now() })
        for (sink, _) in built { await sink.shutdown() }
    }

    /// The site events stream grew (this process published): every worker looks.
    func notify() { entries.forEach { $0.worker.notify() } }

    /// Stops every worker (each stores the cursor of a batch its sink confirmed), then releases
    /// the sinks' connections.
    func stop() async {
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
