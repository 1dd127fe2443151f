import ArgumentParser
import Foundation
import TagwayConfig

struct UdevRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udev-rules",
        abstract: "Print the udev rules for every supported reader (generated from the device profiles).",
        discussion: "The committed udev-rules/70-tagway.rules is this command's output; the test suite checks they agree.")

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    func run() throws {
        let directory = devices ?? DevicesDirectory.locate()
        do {
            let profiles = try DeviceProfileLoader.load(directory: directory)
            print(UdevRulesGenerator.rules(for: Array(profiles.values)), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
