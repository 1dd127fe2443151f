import ArgumentParser
import Foundation
import TagwayConfig
import TagwayControl
import TagwaySimulator

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play a scenario as one simulated reader on a pseudo-terminal.",
        discussion: "Prints the port to give `tagway run` (port: in the reader's configuration).")

    @Option(help: "The reader model to simulate, a device profile id such as magicrf/m100.")
    var profile: String

    @Option(help: "The scenario file: one step per line, SECONDS VERB ARGS (enter, leave, scan, unplug, replug, end).")
    var scenario: String

    @Option(help: "The stable port path to create (a symlink to the current pty).")
    var link: String?

    @Flag(help: "Start the scenario over when it ends, until interrupted.")
    var loop = false

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    func run() throws {
        let directory = devices ?? DevicesDirectory.locate()
        let profiles: [String: DeviceProfile]
        let script: Scenario
        do {
            profiles = try DeviceProfileLoader.load(directory: directory)
            script = try Scenario.parse(try String(contentsOfFile: scenario, encoding: .utf8), file: scenario)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        guard let chosen = profiles[profile] else {
            throw ValidationError("unknown profile '\(profile)'; `tagway profiles` lists them")
        }
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
}
