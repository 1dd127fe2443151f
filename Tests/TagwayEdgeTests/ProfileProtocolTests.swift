import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// Device profiles name a protocol; the loader asks the registry whether the profile's transport
/// carries it and what its settings may be, and reports every problem at once.
@Suite struct ProfileProtocolTests {
    private func loadErrors(_ profile: String) throws -> [ConfigError] {
        let directory = TestPaths.temporaryDirectory("profiles")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/acme", withIntermediateDirectories: true)
        try profile.write(toFile: directory + "/acme/reader.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try DeviceProfileLoader.load(directory: directory)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func aHIDProtocolOnASerialProfileIsUnknownThere() throws {
        let errors = try loadErrors("""
            id: acme/reader
            name: ACME
            transport: serial
            protocol: hid-keyboard
            serial: { baud: 9600 }
            """)
        #expect(errors.map(\.message) == ["unknown serial protocol 'hid-keyboard'"])
        #expect(errors.first?.expected == "one of em4100-ascii, barcode-serial, magicrf-m100, pn532-hsu, thingmagic-mercury")
        #expect(errors.first?.line == 4)
    }

    @Test func aSerialProtocolOnAUSBHIDProfileIsUnknownThere() throws {
        let errors = try loadErrors("""
            id: acme/reader
            name: ACME
            transport: usb-hid
            protocol: em4100-ascii
            usb: { vendorId: 0x1234, productId: 0x5678 }
            """)
        #expect(errors.map(\.message) == ["unknown USB HID protocol 'em4100-ascii'"])
        #expect(errors.first?.expected == "one of hid-keyboard, hid-pos")
    }

    @Test func everyBadSettingOfAProfileIsReported() throws {
        let errors = try loadErrors("""
            id: acme/reader
            name: ACME
            transport: serial
            protocol: thingmagic-mercury
            serial: { baud: 115200 }
            settings: { pollIntervalMs: "5", readTimeoutMs: "3", antennas: "2" }
            """)
        #expect(errors.map(\.message) == [
            "protocol 'thingmagic-mercury': unknown setting 'antennas' (one of pollIntervalMs, readTimeoutMs)",
            "protocol 'thingmagic-mercury': setting 'pollIntervalMs' is '5'",
            "protocol 'thingmagic-mercury': setting 'readTimeoutMs' is '3'",
        ])
        #expect(errors.map(\.expected) == ["one of pollIntervalMs, readTimeoutMs", "an integer from 10 to 60000", "an integer from 10 to 65535"])
    }

    @Test func theEM4100VariantIsAProfileSetting() throws {
        let profiles = try DeviceProfileLoader.load(directory: TestPaths.repositoryDevices)
        #expect(profiles["generic/rdm6300-ch340"]?.settings == ["variant": "rdm6300"])
        #expect(profiles["id-innovations/id-12la"]?.settings["variant"] == nil)
        let errors = try loadErrors("""
            id: acme/reader
            name: ACME
            transport: serial
            protocol: em4100-ascii
            serial: { baud: 9600 }
            settings: { variant: rdm6301 }
            """)
        #expect(errors.map(\.description) == [
            "\(errors.first?.file ?? ""):4:11: protocol: protocol 'em4100-ascii': setting 'variant' is 'rdm6301'; expected one of id-innovations, rdm6300",
        ])
    }
}
