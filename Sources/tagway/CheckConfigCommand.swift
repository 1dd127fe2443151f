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
            print("\(file): OK: gateway \(config.gatewayID), \(config.readers.count) reader(s), read points \(config.readPoints.joined(separator: ", "))")
            print("  event log in \(config.dataDir); profiles from \(config.devicesDir)")
            for reader in config.readers {
                let place = reader.port ?? reader.usb.map { "usb \($0.idText)" } ?? "?"
                print("  reader \(reader.id): \(reader.profile.name) [\(reader.profile.protocolID)] on \(place)")
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
