import Foundation
import Logging
import TagwayConfig
import TagwayEventLog
import TagwayGateway
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
final class ConfigReloader: @unchecked Sendable {
    let file: String
    let devices: String?
    let gateway: Gateway
    let logger: Logger
    /// The log level switch, or nil when the command line fixed the level.
    private let levels: LogLevelSwitch?
    /// Queue state: touched only by jobs, which run one at a time.
    private var runningSinks: [SinkConfig]
    private var loadedText: String
    /// The configuration of the last successful load (the start's, then each reload's), read by
    /// `GET /v1/config` from other tasks.
    private let lock = NSLock()
    private var lastLoaded: GatewayConfig
    /// The reason of a reload that is queued and not started yet: a burst of signals and file
    /// events is one reload (a SIGHUP among them makes it unconditional).
    private var queuedReason: String?
    private let jobs: AsyncStream<@Sendable () async -> Void>.Continuation
    private let jobStream: AsyncStream<@Sendable () async -> Void>
    private var tasks: [Task<Void, Never>] = []
    private var signals: SignalWatcher?
    private var watcher: ConfigFileWatcher?

    init(file: String, devices: String?, gateway: Gateway, logger: Logger, levels: LogLevelSwitch? = nil) {
        self.file = file
        self.devices = devices
        self.gateway = gateway
        self.logger = logger
        self.levels = levels
        runningSinks = gateway.config.sinks
        lastLoaded = gateway.config
        // Read bounded (`ConfigFile`): a file grown to gigabytes is refused by the loader, not held here.
        loadedText = (try? ConfigFile.read(file)) ?? ""
        (jobStream, jobs) = AsyncStream<@Sendable () async -> Void>.makeStream()
    }

    /// The configuration in force for the parts a reload swaps.
    var loaded: GatewayConfig { lock.withLock { lastLoaded } }

    func start() {
        tasks.append(Task { [jobStream] in
            for await job in jobStream { await job() }
        })
        signals = SignalWatcher(signals: [SIGHUP]) { [self] _ in requestReload("SIGHUP") }
        do {
            let watcher = try ConfigFileWatcher(file: file)
            self.watcher = watcher
            tasks.append(Task { [self] in
                while await watcher.next() {
                    // Let a writer finish (editors write, then rename, then touch) before reading.
                    try? await Task.sleep(for: .milliseconds(200))
                    requestReload("file change")
                }
            })
        } catch {
            logger.warning("not watching \(file) for changes (\(error)); reload with SIGHUP")
        }
    }

    func stop() {
        signals?.cancel()
        watcher?.stop()
        jobs.finish()
        tasks.forEach { $0.cancel() }
    }

    /// Runs `work` as the next job of the queue and returns its result.
    func enqueue<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
        await withCheckedContinuation { continuation in
            let result = jobs.yield { continuation.resume(returning: await work()) }
            if case .terminated = result {
                // Stopping: the job runs here rather than never (the caller is waiting for it).
                Task { continuation.resume(returning: await work()) }
            }
        }
    }

    private func requestReload(_ reason: String) {
        let first = lock.withLock { () -> Bool in
            defer { if queuedReason != "SIGHUP" { queuedReason = reason } }
            return queuedReason == nil
        }
        guard first else { return }
        jobs.yield { [self] in
            let reason = lock.withLock { () -> String in
                defer { queuedReason = nil }
                return queuedReason ?? "SIGHUP"
            }
            let text = (try? ConfigFile.read(file)) ?? ""
            // A file event for text already loaded (an apply's own write, an editor's touch) is no change.
            if reason != "SIGHUP", text == loadedText {
                logger.debug("configuration file changed (\(reason)) to the text already loaded; not reloaded")
                return
            }
            _ = await reload(reason: reason)
        }
    }

    /// What one reload did: the summary logged, and the settings that wait for a restart.
    struct Outcome: Sendable {
        var applied: Bool
        var summary: String
        var restartNeeded: [String]
    }

    /// Loads the file and puts it in force. Call only from a job of the queue.
    func reload(reason: String) async -> Outcome {
        gateway.notifications.reloading(); defer { gateway.notifyReloaded() }
        loadedText = (try? ConfigFile.read(file)) ?? loadedText
        let loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(file: file, devicesDir: devices)
        } catch {
            logger.error("configuration reload (\(reason)) failed; the running configuration is kept:\n\(error)")
            return Outcome(applied: false, summary: "failed; the running configuration is kept: \(error)", restartNeeded: [])
        }
        for warning in loaded.warnings { logger.warning("configuration reload (\(reason)): \(warning)") }
        await gateway.pipeline.reconfigure(loaded.movement)
        gateway.reloadZones(loaded)
        let apiRestart = gateway.reloadAPIAccess(loaded.api, logger: logger, reason: reason)
        var applied = ["\(loaded.movement.zones.count) zone(s), \(loaded.movement.rules.count) rule(s)"]
        do {
            let plan = try await gateway.reloadForwarding(running: runningSinks, loaded: loaded)
            runningSinks = loaded.sinks
            applied.append("sinks \(plan.summary)")
            applied.append("retention")
        } catch let error as EventLogError {
            // The forwarder applied the rest; the sinks it could not start are not running.
            let started = Set(gateway.forwarder.sinkIDs)
            runningSinks = loaded.sinks.filter { started.contains($0.id) }
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
        lock.withLock { lastLoaded = loaded }
        let summary = applied.joined(separator: "; ")
        logger.notice("configuration reloaded (\(reason)): \(summary)")
        return Outcome(applied: true, summary: summary, restartNeeded: pending)
    }
}
