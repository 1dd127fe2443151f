import ArgumentParser
import Foundation
import TagwayConfig

/// `--data-dir`, `--config` and `--devices` of the commands that read a gateway's log from outside
/// (`tagway assets`, `tagway audit`): the log is found from the data directory, or from the
/// configuration the gateway runs with, so an operator can name whichever they know.
struct GatewayDataOptions: ParsableArguments {
    @Option(help: "The gateway's data directory (gateway.dataDir in its configuration).")
    var dataDir: String?

    @Option(name: .shortAndLong, help: "The gateway configuration (YAML): its data directory, zones and audit settings.")
    var config: String?

    @Option(help: "Device profile directory, with --config (default: the one shipped with Tagway).")
    var devices: String?

    /// What the options name: the configuration when one was given (its errors are the loader's,
    /// with file and line), and the data directory (`--data-dir` wins over the configuration's).
    func resolve() throws(GatewayDataOptionsError) -> (directory: String, config: GatewayConfig?) {
        var loaded: GatewayConfig?
        if let config {
            do { loaded = try GatewayConfigLoader.load(file: config, devicesDir: devices) } catch {
                throw .invalidConfig("\(error)")
            }
        }
        guard let directory = dataDir ?? loaded?.dataDir else {
            throw .noDirectory("give --config FILE or --data-dir DIR (where the gateway's events.sqlite is)")
        }
        return (directory, loaded)
    }
}

enum GatewayDataOptionsError: Error, CustomStringConvertible {
    case invalidConfig(String)
    case noDirectory(String)

    var description: String {
        switch self {
        case .invalidConfig(let text), .noDirectory(let text): text
        }
    }
}
