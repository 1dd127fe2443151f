import ArgumentParser
import Foundation
import TagwayConfig
import TagwayEventLog
import TagwayGateway
import TagwaySimulator

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the gateway on simulated readers (pseudo-terminals); no hardware needed.",
        discussion: """
            Creates a pseudo-terminal per simulated reader, plays a built-in scenario of assets coming \
            and going on the master ends, and runs the real gateway on the slave ends with a SQLite \
            event log. Events are printed as they are logged: arrivals, departures, scans, door \
            crossings in both directions, moves between zones and geofence alerts.
            """)

    @Option(help: "Stop after this many seconds (0: run until Ctrl-C).")
    var duration: Double = 25

    @Option(help: "Where the event log is written.")
    var dataDir: String = "/tmp/tagway-demo"

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var logger = try logging.makeLogger()
        if logging.logLevel == nil { logger.logLevel = .warning }
        let portsDir = (dataDir as NSString).appendingPathComponent("ports")
        try FileManager.default.createDirectory(atPath: portsDir, withIntermediateDirectories: true)
        let directory = devices ?? DevicesDirectory.locate()
        let profiles = try DeviceProfileLoader.load(directory: directory)

        var simulators: [SimulatedReader] = []
        var readerYAML = ""
        for reader in DemoScenario.readers {
            guard let profile = profiles[reader.profile],
                  let emulator = try? EmulatorFactory.make(protocolID: profile.protocolID, profileID: profile.id, settings: profile.settings)
            else { continue }
            let port = (portsDir as NSString).appendingPathComponent(reader.id)
            let scenario = try Scenario.parse(reader.script, file: "demo:\(reader.id)")
            simulators.append(try SimulatedReader(path: port, emulator: emulator, scenario: scenario, loop: true))
            readerYAML += "  - { id: \(reader.id), profile: \(reader.profile), port: \"\(port)\"\(reader.extra) }\n"
        }
        let yaml = """
            gateway: { id: demo, dataDir: "\(dataDir)" }
            identity: { companyPrefixes: ["0614141"] }
            debounce: { departAfter: 2s, window: 2s }
            readers:
            \(readerYAML)
            \(DemoScenario.zonesYAML)
            """
        let config = try GatewayConfigLoader.parse(yaml, file: "demo.yaml", devicesDir: directory)
        let gateway = try Gateway(config: config, logger: logger)
        print("Tagway demo: \(simulators.count) simulated readers on pseudo-terminals under \(portsDir)")
        print("event log: \(gateway.log.path)")
        print("stop with Ctrl-C\(duration > 0 ? " (or wait \(Int(duration)) s)" : "")\n")
        fflush(nil)

        let firstSeq = try gateway.log.lastSeq()
        let printer = Task {
            for await event in gateway.log.subscribe() {
                print(EventPrinter.line(event))
                fflush(nil)
            }
        }
        let running = Task { await gateway.run() }
        simulators.forEach { $0.start() }
        let watcher = SignalWatcher { _ in running.cancel() }
        if duration > 0 {
            let limit = duration
            Task {
                try? await Task.sleep(for: .milliseconds(Int64(limit * 1000)))
                running.cancel()
            }
        }
        _ = await running.value
        watcher.cancel()
        simulators.forEach { $0.stop() }
        simulators.forEach { $0.wait() }
        printer.cancel()
        let logged = try gateway.log.lastSeq() - firstSeq
        print("\n\(logged) events logged. See them again with:")
        print("  tagway events list --data-dir \(dataDir) --json")
    }
}
