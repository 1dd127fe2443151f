import Foundation
import Logging
import Synchronization
import TagwayConfig
import TagwayEventLog
import TagwayGateway
import TagwayRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Reloads a running gateway on SIGHUP, when the configuration file changes, and after
/// `PUT /v1/config` has written it: zones, rules and movement tuning (keeping every tag's state),
/// sinks (added, removed, changed: each from its cursor), retention, API tokens, and the log
/// level (unless `--log-level` was given).
///
/// The whole file is validated first: a reload that fails logs every error with its line and
/// the running configuration stays as it was. What was opened at start (readers, the log, the
/// debouncer's memory, the API socket) is not swapped live: each such setting that changed is
/// logged as needing a restart and listed in the gateway's `RestartNotice` (/readyz).
///
/// Every reload and every apply runs as one job of a serial queue, so an apply's own reload and
/// the file watch's event for the same write are not two reloads (the text is then the one the
/// apply loaded), and two applies never interleave their check, write and reload.
public final class ConfigReloader: Sendable {
    public let file: String
    public let devices: String?
    public let gateway: Gateway
    public let logger: Logger
    /// The log level switch, or nil when the command line fixed the level.
    private let levels: LogLevelSwitch?
    private let jobs: AsyncStream<@Sendable () async -> Void>.Continuation
    private let jobStream: AsyncStream<@Sendable () async -> Void>
    private let state: Mutex<State>

    private struct State {
        /// Touched only by jobs, which run one at a time; under the mutex all the same, so the
        /// class is Sendable without a promise the compiler cannot check.
        var runningSinks: [SinkConfig]
        var loadedText: String
        /// The configuration of the last successful load (the start's, then each reload's),
        /// read by `GET /v1/config` from other tasks.
        var lastLoaded: GatewayConfig
        var requests = ReloadRequests()
        var tasks: [Task<Void, Never>] = []
        var signals: SignalWatcher?
        var watcher: FileChangeWatcher?
    }

    public init(file: String, devices: String?, gateway: Gateway, logger: Logger, levels: LogLevelSwitch? = nil) {
        self.file = file
        self.devices = devices
        self.gateway = gateway
        self.logger = logger
        self.levels = levels
        // Read bounded (`ConfigFile`): a file grown to gigabytes is refused by the loader, not held here.
        state = Mutex(State(runningSinks: gateway.config.sinks, loadedText: (try? ConfigFile.read(file)) ?? "",
                            lastLoaded: gateway.config))
        (jobStream, jobs) = AsyncStream<@Sendable () async -> Void>.makeStream()
    }

    /// The configuration in force for the parts a reload swaps.
    public var loaded: GatewayConfig { state.withLock { $0.lastLoaded } }

    /// Starts the job queue, SIGHUP handling and the file watch.
    public func start() {
        let queue = Task { [jobStream] in
            for await job in jobStream { await job() }
        }
        let signals = SignalWatcher(signals: [SIGHUP]) { [self] _ in requestReload(ReloadRequests.signal) }
        var tasks = [queue]
        var watcher: FileChangeWatcher?
        do {
            let watching = try FileChangeWatcher(file: file)
            watcher = watching
            tasks.append(Task { [self] in
                for await _ in watching.changes {
                    // Let a writer finish (editors write, then rename, then touch) before reading.
                    _ = await gateway.timers.sleep(for: .milliseconds(200))
                    requestReload("file change")
                }
            })
        } catch {
            logger.warning("not watching \(file) for changes (\(error)); reload with SIGHUP")
        }
        state.withLock {
            $0.tasks += tasks
            $0.signals = signals
            $0.watcher = watcher
        }
    }

    public func stop() {
        let (signals, watcher, tasks) = state.withLock { ($0.signals, $0.watcher, $0.tasks) }
        signals?.cancel()
        watcher?.stop()
        jobs.finish()
        tasks.forEach { $0.cancel() }
    }

    /// Runs `work` as the next job of the queue and returns its result.
    public func enqueue<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
        await withCheckedContinuation { continuation in
            let result = jobs.yield { continuation.resume(returning: await work()) }
            if case .terminated = result {
                // Stopping: the job runs here rather than never (the caller is waiting for it).
                Task { continuation.resume(returning: await work()) }
            }
        }
    }

    /// Queues a reload for `reason` (SIGHUP, a file change, a test), coalesced with any reload
    /// queued and not started yet.
    public func requestReload(_ reason: String) {
        guard state.withLock({ $0.requests.request(reason) }) else { return }
        jobs.yield { [self] in
            let reason = state.withLock { $0.requests.take() }
            let text = (try? ConfigFile.read(file)) ?? ""
            // A file event for text already loaded (an apply's own write, an editor's touch) is no change.
            guard ReloadRequests.shouldReload(reason: reason, text: text, loadedText: state.withLock { $0.loadedText }) else {
                logger.debug("configuration file changed (\(reason)) to the text already loaded; not reloaded")
                return
            }
            _ = await reload(reason: reason)
        }
    }

    /// What one reload did: the summary logged, and the settings that wait for a restart.
    public struct Outcome: Sendable {
        public var applied: Bool
        public var summary: String
        public var restartNeeded: [String]
    }

    /// Loads the file and puts it in force. Call only from a job of the queue.
    public func reload(reason: String) async -> Outcome {
        gateway.notifications.reloading(); defer { gateway.notifyReloaded() }
        if let text = try? ConfigFile.read(file) { state.withLock { $0.loadedText = text } }
        let loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(file: file, devicesDir: devices)
        } catch {
            logger.error("configuration reload (\(reason)) failed; the running configuration is kept:\n\(error)")
            return Outcome(applied: false, summary: "failed; the running configuration is kept: \(error)", restartNeeded: [])
        }
        for warning in loaded.warnings { logger.warning("configuration reload (\(reason)): \(warning)") }
        await gateway.pipeline.reconfigure(loaded.movement)
        await gateway.pipeline.reconfigureFilters(loaded.filters)
        gateway.reloadZones(loaded)
        let apiRestart = gateway.reloadAPIAccess(loaded.api, logger: logger, reason: reason)
        var applied = ["\(loaded.movement.zones.count) zone(s), \(loaded.movement.rules.count) rule(s)"]
        do {
            let plan = try await gateway.reloadForwarding(running: state.withLock { $0.runningSinks }, loaded: loaded)
            state.withLock { $0.runningSinks = loaded.sinks }
            applied.append("sinks \(plan.summary)")
            applied.append("retention")
        } catch let error as EventLogError {
            // The forwarder applied the rest; the sinks it could not start are not running.
            let started = Set(gateway.forwarder.sinkIDs)
            state.withLock { $0.runningSinks = loaded.sinks.filter { started.contains($0.id) } }
            logger.error("configuration reload (\(reason)): \(error); running sinks: \(started.sorted().joined(separator: ", "))")
            applied.append("sinks failed (\(error)); running: \(started.sorted().joined(separator: ", "))")
        } catch {
            logger.error("configuration reload (\(reason)): sinks and retention not reloaded, the running ones are kept: \(error)")
            applied.append("sinks and retention not reloaded (\(error))")
        }
        if let levels {
            let level = loaded.logging.flatMap { Logger.Level(rawValue: $0.level) } ?? .info
            if level != levels.level {
                levels.level = level
                applied.append("log level \(level)")
            }
        }
        var pending = RestartSettings.changed(running: gateway.config, loaded: loaded)
        pending += apiRestart.filter { !pending.contains($0) }
        gateway.restartNotice.set(pending)
        if !pending.isEmpty {
            logger.warning("configuration reload (\(reason)): \(pending.joined(separator: ", ")) changed; these take effect on the next start")
        }
        state.withLock { $0.lastLoaded = loaded }
        let summary = applied.joined(separator: "; ")
        logger.notice("configuration reloaded (\(reason)): \(summary)")
        return Outcome(applied: true, summary: summary, restartNeeded: pending)
    }
}
