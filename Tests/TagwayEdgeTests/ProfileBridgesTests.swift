import Foundation
import Testing
@testable import TagwayConfig

/// A serial profile's `bridges:`: the USB-serial chips it ships on, read in hex or decimal and
/// every mistake located in the profile file.
@Suite struct ProfileBridgesTests {
    static let file = "/devices/acme/uhf.yaml"

    static func parse(_ bridges: String, transport: String = "serial") throws -> (profile: DeviceProfile?, errors: [String]) {
        let diagnostics = Diagnostics()
        let serial = transport == "serial" ? "serial: { baud: 115200 }\n" : "usb: { vendorId: 0x1234, productId: 0x5678 }\n"
        let protocolID = transport == "serial" ? "magicrf-m100" : "hid-keyboard"
        let text = """
            id: acme/uhf
            name: Acme UHF
            transport: \(transport)
            protocol: \(protocolID)
            \(serial)bridges:
            \(bridges)
            """
        let profile = try DeviceProfileLoader.parse(text, file: file, expectedID: "acme/uhf", diagnostics: diagnostics)
        return (profile, diagnostics.errors.map(\.description))
    }

    @Test func bridgesAreReadInHexOrDecimal() throws {
        let (profile, errors) = try Self.parse("""
              - { vendorId: 0x1a86, productId: 0x7523, name: CH340 }
              - { vendorId: 4292, productId: 60000, name: CP2102 }
            """)
        #expect(errors.isEmpty, "\(errors)")
        #expect(profile?.bridges == [USBBridge(vendorID: 0x1A86, productID: 0x7523, name: "CH340"),
                                     USBBridge(vendorID: 0x10C4, productID: 0xEA60, name: "CP2102")])
        #expect(profile?.bridges.map(\.idText) == ["1a86:7523", "10c4:ea60"])
    }

    @Test func eachMistakeIsLocated() throws {
        let (profile, errors) = try Self.parse("""
              - { vendorId: 0x1a86, productId: 0x17523, name: CH340 }
              - { vendorId: 0x10c4, productId: 0xea60 }
              - { vendorId: 0x067b, productId: 0x2303, name: PL2303, serial: X }
              - { vendorId: 0x0403, productId: 0x6015, name: FT231X }
              - { vendorId: 1027, productId: 24597, name: FT231X again }
              - CH340
            """)
        #expect(profile == nil)
        #expect(errors == [
            "\(Self.file):7:36: bridges[0].productId: 95523 is out of range; expected 0...65535",
            "\(Self.file):8:5: bridges[1]: a bridge needs its USB ids and chip name; expected { vendorId: 0x1a86, productId: 0x7523, name: CH340 }",
            "\(Self.file):9:58: bridges[2].serial: unknown key; expected one of vendorId, productId, name",
            "\(Self.file):11:5: bridges[4]: bridge 0403:6015 is listed twice (first as bridges[3]); expected each bridge once",
            "\(Self.file):12:5: bridges[5]: is the value 'CH340'; expected a mapping with keys vendorId, productId, name",
        ], "\(errors)")
    }

    @Test func onlySerialProfilesShipOnBridges() throws {
        let (profile, errors) = try Self.parse("  - { vendorId: 0x1a86, productId: 0x7523, name: CH340 }", transport: "usb-hid")
        #expect(profile == nil)
        #expect(errors.contains { $0.contains("bridges: only a serial reader ships on a USB-serial bridge") }, "\(errors)")
    }

    /// The shipped serial profiles say what they ship on, and udev rules exist for each.
    @Test func everyShippedSerialProfileOnUSBNamesItsBridges() throws {
        let profiles = try DeviceProfileLoader.load(directory: repositoryDevices)
        let expected: [String: [String]] = [
            "generic/rdm6300-ch340": ["1a86:7523"],
            "id-innovations/id-12la": ["0403:6015"],
            "id-innovations/id-20la": ["0403:6015"],
            "magicrf/m100": ["1a86:7523", "10c4:ea60"],
            "thingmagic/m6e-nano": ["1a86:7523"],
            "elechouse/pn532-hsu": ["1a86:7523", "10c4:ea60", "067b:2303"],
            "generic/serial-barcode": ["067b:2303", "067b:23a3", "0403:6001", "1eab:8306", "1eab:0c06"],
        ]
        for (id, ids) in expected {
            #expect(profiles[id]?.bridges.map(\.idText) == ids, "\(id)")
        }
        #expect(profiles.values.filter { $0.transport == .serial }.allSatisfy { !$0.bridges.isEmpty })
    }
}
