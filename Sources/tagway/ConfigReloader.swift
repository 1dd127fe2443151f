import Foundation
import Logging
import TagwayConfig
import TagwayEventLog
import TagwayGateway
#if canImport(Glibc)
import Glibc
#endif

/// Reloads a running gateway on SIGHUP and when the configuration file changes: zones, rules and
/// movement tuning (keeping every tag's state), sinks (added, removed, changed: each from its
/// cursor), retention, and the log level (unless `--log-level` was given).
///
/// The whole file is validated first: a reload that fails logs every error with its line and
/// the running configuration stays as it was. What was opened at start (readers, the log, the
/// debouncer's memory, the API socket) is not swapped live: each such setting that changed is
/// logged as needing a restart and listed in the gateway's `RestartNotice` (/readyz).
final class ConfigReloader: @unchecked Sendable {
    private let file: String
    private let devices: String?
    private let gateway: Gateway
    private let logger: Logger
    /// The log level switch, or nil when the command line fixed the level.
    private let levels: LogLevelSwitch?
    /// The sinks the forwarder delivers to now (the start's, then each reload's).
    private var runningSinks: [SinkConfig]
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
    }

    func start() {
        let (requests, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
        signals = SignalWatcher(signals: [SIGHUP]) { _ in continuation.yield("SIGHUP") }
        do {
            let watcher = try ConfigFileWatcher(file: file)
            self.watcher = watcher
            tasks.append(Task {
                while await watcher.next() {
                    // Let a writer finish (editors write, then rename, then touch) before reading.
                    try? await Task.sleep(for: .milliseconds(200))
                    continuation.yield("file change")
                }
            })
        } catch {
            logger.warning("not watching \(file) for changes (\(error)); reload with SIGHUP")
        }
        // Read bounded (`ConfigFile`): a file grown to gigabytes is refused by the loader, not held here.
        var current = (try? ConfigFile.read(file)) ?? ""
        tasks.append(Task { [self] in
            for await reason in requests {
                let text = (try? ConfigFile.read(file)) ?? ""
                if reason != "SIGHUP", text == current { continue }
                current = text
                await reload(reason: reason)
            }
        })
    }

    func stop() {
        signals?.cancel()
        watcher?.stop()
        tasks.forEach { $0.cancel() }
    }

    private func reload(reason: String) async {
        gateway.notifications.reloading(); defer { gateway.notifyReloaded() }
        let loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(file: file, devicesDir: devices)
        } catch {
            logger.error("configuration reload (\(reason)) failed; the running configuration is kept:\n\(error)")
            return
        }
        for warning in loaded.warnings { logger.warning("configuration reload (\(reason)): \(warning)") }
        await gateway.pipeline.reconfigure(loaded.movement)
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
        } catch {
            logger.error("configuration reload (\(reason)): sinks and retention not reloaded, the running ones are kept: \(error)")
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
        logger.notice("configuration reloaded (\(reason)): \(applied.joined(separator: "; "))")
    }
}
