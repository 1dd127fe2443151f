import Foundation
import Testing
import TagwayConfig

/// USB HID settings are checked when the configuration is loaded, by the decoder's own reader
/// of them, so `tagway check-config` names a misspelt keymap instead of scans coming out garbled.
@Suite struct HIDConfigValidationTests {
    private func errors(_ readers: String) -> [ConfigError] {
        do {
            _ = try GatewayConfigLoader.parse("gateway: { id: t, dataDir: /tmp/t }\nreaders:\n" + readers,
                                              file: "/etc/tagway/gw.yaml", devicesDir: GatewayUnderTestbed.repositoryDevices)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func aValidKeyboardReaderWithOverrides() {
        #expect(errors("  - { id: desk, profile: zebra/ls2208-keyboard, settings: { keymap: de, interKeyTimeoutMs: 80 } }\n").isEmpty)
    }

    @Test func anUnknownKeymapNamesTheKeyAndTheChoices() throws {
        let found = errors("  - { id: desk, profile: zebra/ls2208-keyboard,\n      settings: { keymap: klingon } }\n")
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.line == 4)
        #expect(error.message.contains("keymap: 'klingon'"), "\(error)")
        #expect(error.expected?.contains("de") == true, "\(error)")
    }

    @Test func aMisspeltSettingIsAnError() throws {
        let error = try #require(errors("  - { id: desk, profile: zebra/ls2208-keyboard, settings: { keyMap: de } }\n").first)
        #expect(error.message.contains("unknown setting 'keyMap'"), "\(error)")
    }

    @Test func aHIDPOSReaderTakesNoSettings() throws {
        let error = try #require(errors("  - { id: dock, profile: honeywell/xenon-1900-hidpos, settings: { keymap: de } }\n").first)
        #expect(error.message.contains("hid-pos has no setting 'keymap'"), "\(error)")
    }

    @Test func aBadProfileSettingIsReportedInTheProfile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-profiles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("acme"), withIntermediateDirectories: true)
        try """
            id: acme/scanner
            name: ACME scanner
            transport: usb-hid
            protocol: hid-keyboard
            usb: { vendorId: 0x1234, productId: 0x5678 }
            settings: { keymap: us, terminator: semicolon }
            """.write(to: directory.appendingPathComponent("acme/scanner.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try DeviceProfileLoader.load(directory: directory.path)
            Issue.record("a profile with terminator: semicolon loaded")
        } catch {
            let error = try #require(error.errors.first)
            #expect(error.file.hasSuffix("acme/scanner.yaml"))
            #expect(error.message.contains("terminator: 'semicolon'"), "\(error)")
            #expect(error.expected == "enter, tab or none")
        }
    }
}
