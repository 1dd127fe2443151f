import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TagwayAPI
import TagwayConfig
import TagwayControl
import TagwayEventLog
import TagwayGateway

/// Exit codes, for supervisors and scripts: 0 a clean stop; 2 the configuration is invalid;
/// 3 the event log cannot be used at start (damaged, not a log, not writable); 4 the gateway
/// stopped with events it could not write, or because the log was lost while running (systemd's
/// `Restart=on-failure` then restarts it, and the start check says what is wrong).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the gateway with a configuration file.")

    @Option(name: .shortAndLong, help: "The gateway configuration (YAML).")
    var config: String

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    @Flag(help: "Print each event as a JSON line on standard output once it is in the log.")
    var printEvents = false

    @Option(help: "Record every reader's raw input in DIR (one .tcap file per reader, rotated); overrides capture.dir.")
    var capture: String?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let (logger, levels) = try logging.makeSwitchedLogger()
        let commandLineLevel = try logging.explicitLevel()
        var loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(file: config, devicesDir: devices)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        if let capture {
            let dir = capture.hasPrefix("/") ? capture : FileManager.default.currentDirectoryPath + "/" + capture
            if loaded.capture == nil { loaded.capture = CaptureConfig(dir: dir) } else { loaded.capture?.dir = dir }
        }
        if commandLineLevel == nil, let level = loaded.logging.flatMap({ Logger.Level(rawValue: $0.level) }) { levels.level = level }
        for warning in loaded.warnings { logger.warning("configuration: \(warning)") }
        if geteuid() == 0 { logger.warning("\(RunCommand.rootWarning)") }
        let gateway: Gateway
        do {
            gateway = try Gateway(config: loaded, logger: logger, metrics: MetricsBootstrap.start(),
                                  notifications: ServiceNotifications(notifier: SystemdNotifier(logger: logger)))
        } catch let error as EventLogError {
            logger.critical("cannot start: \(error)")
            throw ExitCode(3)
        } catch let error as APITokenError {
            logger.critical("cannot start: \(error)")
            throw ExitCode(2)
        } catch let error as CaptureFileError {
            logger.critical("cannot start: capture directory: \(error)")
            throw ExitCode(2)
        }
        let reloader = ConfigReloader(file: config, devices: devices, gateway: gateway, logger: logger,
                                      levels: commandLineLevel == nil ? levels : nil)
        let api: APIListener?
        do {
            api = try await gateway.listenAPI(configEndpoint: GatewayConfigEndpoint(reloader: reloader))
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        let printer = printEvents ? Task {
            // Flushed per event: a pipe (a supervisor, a test) sees each event once it is logged.
            for await event in gateway.log.subscribe() {
                print(event.json)
                fflush(nil)
            }
        } : nil
        reloader.start()
        // SIGTERM (systemd's stop) and SIGINT start a graceful stop; the gateway stopping by
        // itself (the log lost) ends the group too.
        let service = GatewayService(gateway: gateway, api: api, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("gateway service: \(error)")
        }
        reloader.stop()
        printer?.cancel()
        if service.outcome?.isClean != true { throw ExitCode(4) }
    }

    static let rootWarning = "running as root; give the tagway user access to the readers with the udev rules (make install / udev-rules/70-tagway.rules) and run as that user"
}
