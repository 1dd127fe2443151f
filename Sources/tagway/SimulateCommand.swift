import ArgumentParser
import Foundation
import TagwayCapture
import TagwayConfig
import TagwayControl
import TagwayEmulators
import TagwaySimulator

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play a scenario as one simulated reader: on a pseudo-terminal, or an LLRP reader on a TCP port.",
        discussion: """
            Serial readers: prints the port to give `tagway run` (port: in the reader's configuration). \
            LLRP readers (--listen HOST:PORT): prints the address to give `tagway run` (host: and port:); \
            without --scenario it plays pallets through a dock door (antenna 1 outside, 2 inside). \
            --replay FILE plays a capture (`tagway run --capture`) instead: a serial reader's bytes on a pty, \
            byte-exact at their recorded times.
            """)

    @Option(help: "The reader model to simulate, a device profile id such as magicrf/m100 or impinj/r700 (not with --replay).")
    var profile: String?

    @Option(help: "Play this capture (.tcap) instead of a scenario: a serial reader's bytes on a pty.")
    var replay: String?

    @Option(help: "With --replay: play N times faster (0 or max: as fast as the host reads).")
    var speed: String = "1"

    @Option(help: "The scenario file: one step per line, SECONDS VERB ARGS (enter, leave, scan, unplug, replug, end).")
    var scenario: String?

    @Option(help: "The stable port path to create (a symlink to the current pty).")
    var link: String?

    @Option(help: "LLRP readers: the HOST:PORT to listen on (port 0: any free port).")
    var listen: String?

    @Flag(help: "Start the scenario over when it ends, until interrupted.")
    var loop = false

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    @OptionGroup var faults: LLRPFaultOptions

    func run() async throws {
        if let replay {
            guard profile == nil, scenario == nil else { throw ValidationError("--replay plays the capture's reader: give no --profile or --scenario") }
            try await CaptureReplayCommand(file: replay, speed: try Self.speed(speed), link: link, listen: listen).run()
            return
        }
        guard let profile else { throw ValidationError("--profile is needed (or --replay FILE)") }
        let directory = devices ?? DevicesDirectory.locate()
        let profiles: [String: DeviceProfile]
        let script: Scenario?
        do {
            profiles = try DeviceProfileLoader.load(directory: directory)
            script = try scenario.map { path throws in try Scenario.parse(try String(contentsOfFile: path, encoding: .utf8), file: path) }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        guard let chosen = profiles[profile] else {
            throw ValidationError("unknown profile '\(profile)'; `tagway profiles` lists them")
        }
        if chosen.transport == .llrp {
            try await serveLLRP(chosen, scenario: script ?? LLRPDockDoorScenario.scenario)
            return
        }
        guard listen == nil else { throw ValidationError("--listen is for LLRP readers; \(chosen.id) is a \(chosen.transport.rawValue) reader") }
        guard let script else { throw ValidationError("--scenario is needed to simulate a \(chosen.transport.rawValue) reader") }
        let emulator = try EmulatorFactory.make(protocolID: chosen.protocolID, settings: chosen.settings)
        let path = link ?? "/tmp/tagway-sim-" + chosen.id.replacingOccurrences(of: "/", with: "-")
        // The reader keeps its profile's rate: opened at another one (a wrong `serial:` override,
        // `tagway devices --probe` trying rates) it is heard as noise, as the hardware would be.
        let reader = try SimulatedReader(path: path, emulator: emulator, scenario: script, loop: loop, lineRate: chosen.serial?.baud)
        print("simulating \(chosen.name) on \(path) (\(chosen.serial?.description ?? "")); stop with Ctrl-C")
        fflush(nil)
        let watcher = SignalWatcher { _ in reader.stop() }
        reader.start()
        reader.wait()
        watcher.cancel()
    }

    /// `--speed`: a factor above 0, or 0 / `max` for no waiting (nil).
    static func speed(_ text: String) throws -> Double? {
        if text == "max" || text == "0" { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            throw ValidationError("--speed \(text): expected a number above 0 (2: twice as fast), or 0 or max for as fast as possible")
        }
        return value
    }

    private func serveLLRP(_ profile: DeviceProfile, scenario: Scenario) async throws {
        let (host, port) = try LLRPFaultOptions.address(listen ?? "127.0.0.1:5084")
        let emulator = LLRPReaderEmulator(script: try faults.script())
        let server = try await LLRPEmulatorServer.start(host: host, port: port, emulator: emulator, scenario: scenario, loop: loop,
                                                        report: { line in
                                                            print(line)
                                                            fflush(nil)
                                                        })
        print("simulating \(profile.name) (LLRP) on \(server.host):\(server.port); stop with Ctrl-C")
        fflush(nil)
        let watcher = SignalWatcher { _ in server.end() }
        await server.waitUntilEnded()
        watcher.cancel()
        await server.stop()
    }
}
