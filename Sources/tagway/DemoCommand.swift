import ArgumentParser
import Foundation
import TagwayAPI
import TagwayConfig
import TagwayControl
import TagwayEventLog
import TagwayGateway
import TagwaySimulator

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the gateway on simulated readers (pseudo-terminals, an LLRP reader on loopback); no hardware needed.",
        discussion: """
            Creates a pseudo-terminal per simulated serial reader and an emulated LLRP reader on a \
            loopback port for the dock door, plays a built-in scenario of assets coming \
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

    @Option(help: "Where the web console and the HTTP API listen (HOST:PORT on loopback), or 'off'.")
    var api: String = "127.0.0.1:8080"

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var logger = try logging.makeLogger()
        if logging.logLevel == nil { logger.logLevel = .warning }
        let portsDir = (dataDir as NSString).appendingPathComponent("ports")
        try FileManager.default.createDirectory(atPath: portsDir, withIntermediateDirectories: true)
        let directory = devices ?? DevicesDirectory.locate()
        let profiles = try DeviceProfileLoader.load(directory: directory)

        var simulators: [SimulatedReader] = []
        var networkReaders: [LLRPEmulatorServer] = []
        var readerYAML = ""
        for reader in DemoScenario.readers {
            guard let profile = profiles[reader.profile] else { continue }
            let scenario = try Scenario.parse(reader.script, file: "demo:\(reader.id)")
            if profile.transport == .llrp {
                // A fixed reader on the network: the emulator listens on a free loopback port.
                let server = try await LLRPEmulatorServer.start(host: "127.0.0.1", port: 0, scenario: scenario, loop: true)
                networkReaders.append(server)
                readerYAML += "  - { id: \(reader.id), profile: \(reader.profile), host: 127.0.0.1, port: \(server.port)\(reader.extra) }\n"
                continue
            }
            guard let emulator = try? EmulatorFactory.make(protocolID: profile.protocolID, settings: profile.settings) else { continue }
            let port = (portsDir as NSString).appendingPathComponent(reader.id)
            simulators.append(try SimulatedReader(path: port, emulator: emulator, scenario: scenario, loop: true))
            readerYAML += "  - { id: \(reader.id), profile: \(reader.profile), port: \"\(port)\"\(reader.extra) }\n"
        }
        let listen = api == "off" ? "" : "api: { listen: \"\(api)\" }"
        let yaml = """
            gateway: { id: demo, dataDir: "\(dataDir)" }
            \(listen)
            identity: { companyPrefixes: ["0614141"] }
            debounce: { departAfter: 2s, window: 2s }
            readers:
            \(readerYAML)
            \(DemoScenario.zonesYAML)
            """
        // A real file, so the console's Configure page can check, apply and reload it as on a box.
        let file = (dataDir as NSString).appendingPathComponent("demo.yaml")
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let config: GatewayConfig
        do {
            config = try GatewayConfigLoader.load(file: file, devicesDir: directory)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            for server in networkReaders { await server.stop() }
            throw ExitCode(2)
        }
        let gateway = try Gateway(config: config, logger: logger)
        let reloader = ConfigReloader(file: file, devices: devices, gateway: gateway, logger: logger)
        let listener = await listenConsole(gateway, reloader: reloader)
        print("Tagway demo: \(simulators.count) simulated readers on pseudo-terminals under \(portsDir)")
        for server in networkReaders { print("LLRP reader emulated on \(server.host):\(server.port)") }
        print("event log: \(gateway.log.path); configuration: \(file)")
        if let listener { print("web console: http://\(Self.hostForURL(api)):\(listener.port)/console/ (no token on loopback)") }
        print("stop with Ctrl-C\(duration > 0 ? " (or wait \(Int(duration)) s)" : "")\n")
        fflush(nil)

        let firstSeq = try gateway.log.lastSeq()
        let printer = Task {
            for await event in gateway.log.subscribe() {
                print(EventPrinter.line(event))
                fflush(nil)
            }
        }
        reloader.start()
        let running = Task { await gateway.run(api: listener) }
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
        reloader.stop()
        simulators.forEach { $0.stop() }
        simulators.forEach { $0.wait() }
        for server in networkReaders { await server.stop() }
        printer.cancel()
        let logged = try gateway.log.lastSeq() - firstSeq
        print("\n\(logged) events logged. See them again with:")
        print("  tagway events list --data-dir \(dataDir) --json")
    }

    /// The console is a bonus of the demo: a port already taken is said once and the demo runs on
    /// without it, since its events still print here.
    private func listenConsole(_ gateway: Gateway, reloader: ConfigReloader) async -> APIListener? {
        guard api != "off" else { return nil }
        do {
            return try await gateway.listenAPI(configEndpoint: GatewayConfigEndpoint(reloader: reloader))
        } catch {
            FileHandle.standardError.write(Data("warning: no web console: \(error) (choose another with --api HOST:PORT)\n".utf8))
            return nil
        }
    }

    static func hostForURL(_ listen: String) -> String {
        guard let colon = listen.lastIndex(of: ":") else { return listen }
        return String(listen[..<colon])
    }
}
