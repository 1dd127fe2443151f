import ArgumentParser
import Foundation
import TagwayConfig
import TagwayModel
import TagwayProtocols

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
            // A network reader is found by address: what to know is the port it listens on.
            let tcpPort = ProtocolRegistry.descriptor(for: profile.protocolID)?.conversation?.defaultPort
            if json {
                var w = JSONObjectWriter()
                w.string("id", profile.id)
                w.string("name", profile.name)
                w.string("transport", profile.transport.rawValue)
                w.string("protocol", profile.protocolID)
                if let technology = profile.technology { w.string("technology", technology) }
                if let usb = profile.usb { w.string("usb", usb.idText) }
                if let serial = profile.serial { w.string("serial", serial.description) }
                if !profile.bridges.isEmpty {
                    w.raw("bridges", "[" + profile.bridges.map { bridge in
                        var b = JSONObjectWriter()
                        b.string("usb", bridge.idText)
                        b.string("name", bridge.name)
                        return b.finish()
                    }.joined(separator: ",") + "]")
                }
                if let tcpPort { w.number("tcpPort", Int64(tcpPort)) }
                print(w.finish())
            } else {
                let place = profile.usb.map { " usb \($0.idText)" } ?? tcpPort.map { " tcp port \($0)" } ?? ""
                let line = profile.serial.map { " \($0)" } ?? ""
                print("\(profile.id.padding(30))\(profile.transport.rawValue) \(profile.protocolID)\(place)\(line)  \(profile.name)")
                // What `lsusb` shows for the reader's USB-serial adapter, so the right profile can be picked from it.
                if !profile.bridges.isEmpty {
                    print("\("".padding(30))on USB-serial \(profile.bridges.map { "\($0.name) \($0.idText)" }.joined(separator: ", "))")
                }
            }
        }
    }
}
