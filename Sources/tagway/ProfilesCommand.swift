import ArgumentParser
import Foundation
import TagwayConfig
import TagwayModel

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles", abstract: "List the supported reader models (device profiles).")

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        let directory = devices ?? DevicesDirectory.locate()
        let profiles: [String: DeviceProfile]
        do {
            profiles = try DeviceProfileLoader.load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        for profile in profiles.values.sorted(by: { $0.id < $1.id }) {
            if json {
                var w = JSONObjectWriter()
                w.string("id", profile.id)
                w.string("name", profile.name)
                w.string("transport", profile.transport.rawValue)
                w.string("protocol", profile.protocolID)
                if let technology = profile.technology { w.string("technology", technology) }
                if let usb = profile.usb { w.string("usb", usb.idText) }
                if let serial = profile.serial { w.string("serial", serial.description) }
                print(w.finish())
            } else {
                let place = profile.usb.map { " usb \($0.idText)" } ?? ""
                let line = profile.serial.map { " \($0)" } ?? ""
                print("\(profile.id.padding(30))\(profile.transport.rawValue) \(profile.protocolID)\(place)\(line)  \(profile.name)")
            }
        }
    }
}
