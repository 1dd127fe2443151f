import Foundation
import Logging
import TagwayConfig
import TagwayGateway
#if canImport(Glibc)
import Glibc
#endif

/// Reloads zones, rules and movement tuning into a running gateway on SIGHUP and when the
/// configuration file changes, keeping every tag's state.
///
/// The whole file is validated first: a reload that fails logs every error with its line and
/// the running configuration stays as it was. Readers, debounce and sinks are not swapped
/// live (ports and memory bounds are set up at start); a change there is logged as needing a
/// restart.
final class ConfigReloader: @unchecked Sendable {
    private let file: String
    private let devices: String?
    private let gateway: Gateway
    private let logger: Logger
    private var tasks: [Task<Void, Never>] = []
    private var signals: SignalWatcher?
    private var watcher: ConfigFileWatcher?

    init(file: String, devices: String?, gateway: Gateway, logger: Logger) {
        self.file = file
        self.devices = devices
        self.gateway = gateway
        self.logger = logger
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
        let loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(file: file, devicesDir: devices)
        } catch {
            logger.error("configuration reload (\(reason)) failed; the running configuration is kept:\n\(error)")
            return
        }
        for warning in loaded.warnings { logger.warning("configuration reload (\(reason)): \(warning)") }
        await gateway.pipeline.reconfigure(loaded.movement)
        gateway.reloadAPIAccess(loaded.api, logger: logger, reason: reason)
        let running = gateway.config
        if loaded.readers != running.readers || loaded.debounce != running.debounce {
            logger.warning("configuration reload (\(reason)): changes to readers or debounce take effect on the next start")
        }
        logger.notice("configuration reloaded (\(reason)): \(loaded.movement.zones.count) zone(s), \(loaded.movement.rules.count) rule(s)")
    }
}
