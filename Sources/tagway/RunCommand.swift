import ArgumentParser
import Foundation
import TagwayConfig
import TagwayGateway

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the gateway with a configuration file.")

    @Option(name: .shortAndLong, help: "The gateway configuration (YAML).")
    var config: String

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    @Flag(help: "Print each event as a JSON line on standard output once it is in the log.")
    var printEvents = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = try logging.makeLogger()
        let loaded: GatewayConfig
        do {
            loaded = try GatewayConfigLoader.load(file: config, devicesDir: devices)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        for warning in loaded.warnings { logger.warning("configuration: \(warning)") }
        let gateway = try Gateway(config: loaded, logger: logger)
        let printer = printEvents ? Task {
            // Flushed per event: a pipe (a supervisor, a test) sees each event once it is logged.
            for await event in gateway.log.subscribe() {
                print(event.json)
                fflush(nil)
            }
        } : nil
        let running = Task { await gateway.run() }
        let reloader = ConfigReloader(file: config, devices: devices, gateway: gateway, logger: logger)
        reloader.start()
        let watcher = SignalWatcher { sig in
            logger.info("signal \(sig): stopping")
            running.cancel()
        }
        await running.value
        watcher.cancel()
        reloader.stop()
        printer?.cancel()
    }
}
