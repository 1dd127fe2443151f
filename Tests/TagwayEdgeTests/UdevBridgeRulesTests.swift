import Foundation
import Testing
@testable import TagwayConfig

/// The udev rules for serial readers on USB-serial bridges: group and mode for the gateway,
/// ModemManager kept off, and one stable link per profile named by serial number or port path.
@Suite struct UdevBridgeRulesTests {
    static func serial(_ id: String, _ bridges: [USBBridge]) -> DeviceProfile {
        DeviceProfile(id: id, name: id, transport: .serial, protocolID: "magicrf-m100", bridges: bridges, serial: .init(), file: "x")
    }

    static let ch340 = USBBridge(vendorID: 0x1A86, productID: 0x7523, name: "CH340")
    static let cp2102 = USBBridge(vendorID: 0x10C4, productID: 0xEA60, name: "CP2102")

    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func aBridgeGivesItsTtysToTheGatewayAndHidesThemFromModemManager() {
        let text = UdevRulesGenerator.rules(for: [Self.serial("acme/uhf", [Self.ch340])])
        #expect(lines(text).contains(
            #"ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", GROUP="tagway", MODE="0660", ENV{ID_MM_DEVICE_IGNORE}="1", ENV{TAGWAY_BRIDGE}="1a86:7523""#),
            "\(text)")
        #expect(lines(text).contains(#"ENV{TAGWAY_BRIDGE}=="1a86:7523", SYMLINK+="tagway/acme-uhf-$env{.TAGWAY_NAME}""#), "\(text)")
        // Only ttys: the bridge's USB device node is not the reader.
        let section = text.components(separatedBy: #"SUBSYSTEM!="tty", GOTO="tagway_serial_end""#)
        #expect(section.count == 2 && section[1].contains("1a86"), "the bridge rules follow the tty guard: \(text)")
        #expect(!text.contains("No rule"), "a profile with bridges has rules: \(text)")
    }

    /// The name of the device: serial number when it has one, else the USB port path (a CH340
    /// has no serial number, so udev's usb_id sets no ID_SERIAL_SHORT for it).
    @Test func theLinkIsNamedBySerialNumberElseByPortPath() {
        let text = UdevRulesGenerator.rules(for: [Self.serial("acme/uhf", [Self.ch340])])
        let naming = [
            #"ENV{TAGWAY_BRIDGE}!="?*", GOTO="tagway_serial_end""#,
            #"ENV{ID_SERIAL_SHORT}=="?*", ENV{.TAGWAY_NAME}="$env{ID_SERIAL_SHORT}""#,
            #"ENV{ID_SERIAL_SHORT}=="?*", ENV{.TAGWAY_MULTIPORT}=="1", ENV{.TAGWAY_NAME}="$env{ID_SERIAL_SHORT}-if$env{ID_USB_INTERFACE_NUM}""#,
            #"ENV{ID_SERIAL_SHORT}!="?*", ENV{ID_PATH}=="?*", ENV{.TAGWAY_NAME}="$env{ID_PATH}""#,
            #"ENV{.TAGWAY_NAME}!="?*", GOTO="tagway_serial_end""#,
        ]
        let all = lines(text)
        let positions = naming.map { line in all.firstIndex(of: line) }
        #expect(positions.allSatisfy { $0 != nil }, "\(text)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "in this order: \(text)")
        let link = all.firstIndex { $0.contains("SYMLINK+=") } ?? -1
        #expect(link > (positions.last.flatMap { $0 } ?? Int.max), "links are made after the name: \(text)")
    }

    @Test func profilesSharingABridgeEachGetTheirLinkOnItsOneRule() {
        let text = UdevRulesGenerator.rules(for: [Self.serial("b/m100", [Self.ch340, Self.cp2102]), Self.serial("a/rdm6300", [Self.ch340])])
        let all = lines(text)
        #expect(all.filter { $0.hasPrefix(#"ATTRS{idVendor}=="1a86""#) }.count == 1, "one rule per bridge: \(text)")
        #expect(all.contains(#"ENV{TAGWAY_BRIDGE}=="1a86:7523", SYMLINK+="tagway/a-rdm6300-$env{.TAGWAY_NAME}", SYMLINK+="tagway/b-m100-$env{.TAGWAY_NAME}""#),
                "\(text)")
        #expect(all.contains(#"ENV{TAGWAY_BRIDGE}=="10c4:ea60", SYMLINK+="tagway/b-m100-$env{.TAGWAY_NAME}""#), "\(text)")
        #expect(all.contains("# CH340 (1a86:7523): a/rdm6300, b/m100"), "the comment says which profiles share it: \(text)")
        #expect(text.contains("use the one named\n# after your reader's profile"), "how a user picks the right link: \(text)")
    }

    @Test func aMultiPortBridgeAddsTheInterfaceToTheSerialNumber() {
        let ft4232 = USBBridge(vendorID: 0x0403, productID: 0x6011, name: "FT4232H")
        let text = UdevRulesGenerator.rules(for: [Self.serial("acme/quad", [ft4232])])
        #expect(lines(text).contains { $0.hasPrefix(#"ATTRS{idVendor}=="0403", ATTRS{idProduct}=="6011""#) && $0.hasSuffix(#"ENV{.TAGWAY_MULTIPORT}="1""#) },
                "\(text)")
        #expect(!UdevRulesGenerator.rules(for: [Self.serial("acme/uhf", [Self.ch340])]).contains(#"ENV{.TAGWAY_MULTIPORT}="1","#))
    }

    /// Every GOTO lands on a LABEL further down (udev skips to the end of the file otherwise),
    /// labels are unique, and the generated file has the HID and serial sections.
    @Test func theShippedRulesAreStructurallySound() throws {
        let profiles = try DeviceProfileLoader.load(directory: repositoryDevices)
        let all = lines(UdevRulesGenerator.rules(for: Array(profiles.values))).filter { !$0.hasPrefix("#") }
        var labels: [String: Int] = [:]
        for (index, line) in all.enumerated() {
            if let match = line.wholeMatch(of: /LABEL="([a-z_]+)"/) {
                #expect(labels[String(match.1)] == nil, "label given twice: \(line)")
                labels[String(match.1)] = index
            }
        }
        for (index, line) in all.enumerated() {
            for match in line.matches(of: /GOTO="([a-z_]+)"/) {
                #expect((labels[String(match.1)] ?? -1) > index, "GOTO without a label below it: \(line)")
            }
        }
        let text = all.joined(separator: "\n")
        #expect(text.contains(#"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="05e0", ATTR{idProduct}=="1200""#),
                "HID rules are kept")
        for profile in profiles.values where profile.transport == .serial {
            #expect(text.contains("SYMLINK+=\"tagway/\(UdevRulesGenerator.slug(profile.id))-$env{.TAGWAY_NAME}\""), "\(profile.id)")
        }
        for bridge in ["1a86:7523", "10c4:ea60", "0403:6015", "067b:2303", "067b:23a3", "0403:6001"] {
            #expect(text.contains("ENV{ID_MM_DEVICE_IGNORE}=\"1\", ENV{TAGWAY_BRIDGE}=\"\(bridge)\""), "\(bridge)")
        }
    }
}
