import ArgumentParser
import Foundation
import TagwayConfig

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration file and the device profiles it uses.")

    @Argument(help: "The gateway configuration (YAML).")
    var file: String

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    func run() throws {
        do {
            let config = try GatewayConfigLoader.load(file: file, devicesDir: devices)
            for warning in config.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            for line in config.checkReport(file: file) { print(line) }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
