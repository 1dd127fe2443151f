import ArgumentParser
import Foundation
import TagwayConfig
import TagwayGateway
import TagwayModel
import TagwayUSB

/// `tagway devices`: what is plugged in, which profile each device matches, and whether a
/// configuration uses it. The first thing to run when a reader "does nothing".
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List attached USB devices and serial ports, the reader profile each matches, and whether it is configured.",
        discussion: """
            Reads udev and sysfs only: no device is opened, so it is safe beside a running gateway. \
            With --probe PORT, opens that one serial port at each line setting of the serial profiles, \
            listens, and sends only read-only version queries; it refuses a port that the --config \
            configuration gives a reader, and a port another program holds.
            """)

    @Option(name: .shortAndLong, help: "A gateway configuration: say which reader each device is configured as.")
    var config: String?

    @Option(help: "Device profile directory (default: the configuration's, else the one shipped with Tagway).")
    var devices: String?

    @Flag(help: "Every device, not only those that match a reader profile.")
    var all = false

    @Flag(help: "One JSON object per line.")
    var json = false

    @Option(help: "Probe this serial port: say which reader profile answers there (autodetect).")
    var probe: String?

    @Option(help: "With --probe: how long each line setting is listened to before the queries (seconds).")
    var listen: Double = 2

    @Option(help: .hidden)
    var hostRoot = "/"

    func run() async throws {
        if let probe {
            try await runProbe(port: probe)
            return
        }
        let inventory: DeviceInventory
        do {
            if let config {
                let loaded = try GatewayConfigLoader.load(file: config, devicesDir: devices)
                inventory = DeviceInventory(profiles: Array(try DeviceProfileLoader.load(directory: loaded.devicesDir).values),
                                            readers: loaded.readers)
            } else {
                inventory = DeviceInventory(profiles: Array(try DeviceProfileLoader.load(directory: devices ?? DevicesDirectory.locate()).values))
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        let attached: [UDevDevice]
        do {
            attached = try UDevEnumerator.devices()
        } catch {
            FileHandle.standardError.write(Data("cannot list devices: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let entries = inventory.entries(attached).filter { all || $0.profile != nil || !$0.bridgeProfiles.isEmpty }
        for entry in entries { print(json ? Self.json(entry, configured: config != nil) : Self.text(entry, configured: config != nil)) }
        if !json && entries.isEmpty {
            print(all ? "no USB devices or serial ports found" : "no known readers attached (--all lists every device)")
        }
        for finding in contention(inventory, attached: attached) {
            print(json ? Self.json(finding) : "\(finding.blocking ? "PROBLEM" : "warning"): \(finding.text)")
        }
    }

    static func text(_ entry: InventoryEntry, configured: Bool) -> String {
        let d = entry.device
        var parts = [d.subsystem.padding(4), (d.id?.description ?? "-").padding(10), (d.devnode ?? d.syspath).padding(22)]
        if let serial = d.serial { parts.append("serial \(serial)") }
        if let product = d.product { parts.append("\"\(product)\"") }
        if let interface = d.interfaceNumber, d.isSerialPort { parts.append("interface \(interface)") }
        if !d.hidInterfaces.isEmpty { parts.append("hid " + hid(d).joined(separator: ",")) }
        parts += unreadable(d)
        if let profile = entry.profile {
            parts.append("profile \(profile.id)")
            if let reader = entry.reader {
                parts.append("configured as reader \(reader.id)")
            } else {
                parts.append(configured ? "NOT CONFIGURED" : "(no --config given)")
            }
        } else if !entry.bridgeProfiles.isEmpty {
            parts.append("no profile; bridge of " + entry.bridgeProfiles.map(\.id).joined(separator: ", "))
        } else {
            parts.append("no profile")
        }
        return parts.joined(separator: "  ")
    }

    static func json(_ entry: InventoryEntry, configured: Bool) -> String {
        let d = entry.device
        var w = JSONObjectWriter()
        w.string("subsystem", d.subsystem)
        if let id = d.id { w.string("device", id.description) }
        if let devnode = d.devnode { w.string("path", devnode) }
        w.string("syspath", d.syspath)
        if let serial = d.serial { w.string("serial", serial) }
        if let product = d.product { w.string("product", product) }
        if let manufacturer = d.manufacturer { w.string("manufacturer", manufacturer) }
        if let usb = d.usbSyspath { w.string("usbSyspath", usb) }
        if let interface = d.interfaceNumber { w.number("interface", Int64(interface)) }
        if !d.hidInterfaces.isEmpty { w.string("hid", hid(d).joined(separator: ",")) }
        let problems = unreadable(d)
        if !problems.isEmpty { w.string("descriptorError", problems.joined(separator: "; ")) }
        if let profile = entry.profile { w.string("profile", profile.id) }
        if !entry.bridgeProfiles.isEmpty { w.string("bridgeOf", entry.bridgeProfiles.map(\.id).joined(separator: ",")) }
        if configured || entry.reader != nil { w.bool("configured", entry.reader != nil) }
        if let reader = entry.reader { w.string("reader", reader.id) }
        return w.finish()
    }

    /// `interface 1 descriptor unreadable: HID report descriptor, byte 6 (Report Size): ...` for
    /// each interface whose descriptor does not parse: any device can be plugged in.
    static func unreadable(_ device: UDevDevice) -> [String] {
        device.hidInterfaces.compactMap { interface in
            interface.descriptorError.map {
                "interface \(interface.interfaceNumber.map(String.init) ?? "?") descriptor unreadable: \($0)"
            }
        }
    }

    /// `0:keyboard`, `0:hid-pos`: interface number and what its report descriptor says.
    private static func hid(_ device: UDevDevice) -> [String] {
        device.hidInterfaces.map { "\($0.interfaceNumber.map(String.init) ?? "?"):\($0.kind.name)" }
    }
}
