import Foundation
import Testing
@testable import TagwayConfig

@Suite struct UdevRulesTests {
    var repositoryRoot: String { (repositoryDevices as NSString).deletingLastPathComponent }

    @Test func committedRulesAreWhatTheProfilesGenerate() throws {
        let profiles = try DeviceProfileLoader.load(directory: repositoryDevices)
        let generated = UdevRulesGenerator.rules(for: Array(profiles.values))
        let committed = try String(contentsOfFile: repositoryRoot + "/udev-rules/70-tagway.rules", encoding: .utf8)
        #expect(generated == committed, "udev-rules/70-tagway.rules is stale: run `tagway udev-rules > udev-rules/70-tagway.rules`")
    }

    @Test func everyRuleLineIsWellFormed() throws {
        let profiles = try DeviceProfileLoader.load(directory: repositoryDevices)
        let text = UdevRulesGenerator.rules(for: Array(profiles.values))
        let pattern = /^[A-Z]+(\{\.?[A-Za-z_]+\})?(==|!=|=|\+=|:=)"([^"\\]|\\.)*"$/
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            for key in line.components(separatedBy: ", ") {
                #expect(key.wholeMatch(of: pattern) != nil, "malformed udev key '\(key)' in: \(line)")
            }
        }
        // Where the installed udev can verify rules (udevadm verify, systemd 253+), let it.
        let udevadm = ["/usr/bin/udevadm", "/bin/udevadm"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if let udevadm {
            let file = NSTemporaryDirectory() + "tagway-\(UUID().uuidString).rules"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: udevadm)
            probe.arguments = ["verify", file]
            probe.standardOutput = Pipe()
            let errors = Pipe()
            probe.standardError = errors
            try probe.run()
            probe.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if message.contains("Unknown command verb") || message.contains("unrecognized") {
                print("udevadm has no 'verify' verb here (udev < 253); the rules were checked by the pattern above")
            } else {
                #expect(probe.terminationStatus == 0, "udevadm verify: \(message)")
            }
        }
    }

    @Test func serialBridgesMatchTheirTtyWithTheProductString() {
        let profile = DeviceProfile(id: "acme/uhf-usb", name: "Acme UHF \"USB\"", transport: .serial, protocolID: "magicrf-m100",
                                    usb: USBMatch(vendorID: 0x10C4, productID: 0xEA60, product: "Acme \"UHF\" Reader"),
                                    file: "x")
        let text = UdevRulesGenerator.rules(for: [profile])
        #expect(text.contains(#"SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", ATTRS{product}=="Acme \"UHF\" Reader", GROUP="tagway", MODE="0660", ENV{TAGWAY_PROFILE}="acme/uhf-usb", SYMLINK+="tagway/acme-uhf-usb", SYMLINK+="tagway/acme-uhf-usb-%k""#), "\(text)")
    }

    @Test func hidReadersMatchTheUSBDeviceNode() {
        let profile = DeviceProfile(id: "zebra/ls2208-keyboard", name: "LS2208", transport: .usbHID, protocolID: "hid-keyboard",
                                    usb: USBMatch(vendorID: 0x05E0, productID: 0x1200), file: "x")
        let text = UdevRulesGenerator.rules(for: [profile])
        #expect(text.contains(#"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="05e0", ATTR{idProduct}=="1200", GROUP="tagway""#))
    }
}
