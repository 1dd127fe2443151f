import Testing
import TagwayDecoders
import TagwayEmulators
import TagwayHID
import TagwayModel
import TagwayProtocols

/// One function checks a protocol's `settings:` for `check-config`, the profile loader and the
/// reader config, and finds every problem in one pass.
@Suite struct SettingsSchemaTests {
    func problems(_ id: String, _ settings: ProtocolSettings) throws -> [SettingProblem] {
        try #require(ProtocolRegistry.descriptor(for: id)).settings.problems(in: settings, protocolID: id)
    }

    @Test func everyProblemIsFoundAtOnce() throws {
        let found = try problems("hid-keyboard", ["keyMap": "de", "keymap": "klingon", "terminator": "semicolon",
                                                  "interKeyTimeoutMs": "0", "timeoutEndsScan": "yes"])
        #expect(found.map(\.key) == ["keyMap", "keymap", "terminator", "interKeyTimeoutMs"])
        #expect(found[0].message == "unknown setting 'keyMap' (one of interKeyTimeoutMs, keymap, maximumScanLength, symbologyPrefix, terminator, timeoutEndsScan)")
        #expect(found[1].message == "setting keymap: 'klingon' is not us, uk, de, fr")
        #expect(found[2].expected == "enter, tab or none")
    }

    @Test func theSchemaListsExactlyWhatTheDecoderReads() throws {
        let keyboard = try #require(ProtocolRegistry.descriptor(for: "hid-keyboard"))
        #expect(keyboard.settings.names == KeyboardWedgeConfiguration.settingKeys)
        for descriptor in ProtocolRegistry.all {
            for key in descriptor.settings.keys {
                #expect(!key.expects.isEmpty, "\(descriptor.id).\(key.name) says what it expects")
            }
        }
    }

    @Test func settingsThatDependOnEachOtherAreReadTogether() throws {
        #expect(try problems("thingmagic-mercury", ["pollIntervalMs": "500", "readTimeoutMs": "300"]) == [])
        let found = try problems("thingmagic-mercury", ["readTimeoutMs": "300"])
        #expect(found == [SettingProblem(key: "readTimeoutMs", message: "setting 'readTimeoutMs' is '300'",
                                         expected: "less than pollIntervalMs (200)")])
    }

    @Test func aProtocolWithoutSettingsSaysSo() throws {
        #expect(try problems("hid-pos", ["keymap": "de"]) == [
            SettingProblem(key: "keymap", message: "hid-pos has no setting 'keymap'", expected: "no settings"),
        ])
        #expect(try problems("magicrf-m100", ["pollIntervalMs": "fast"]).map(\.description)
                == ["setting 'pollIntervalMs' is 'fast'; expected an integer from 10 to 60000"])
    }

    @Test func theEM4100VariantPicksTheEmulatedReader() throws {
        let driver = try #require(ProtocolRegistry.descriptor(for: "em4100-ascii")?.serial)
        let field = [FieldTag(id: TagID(bytes: [0x01, 0x00, 0xE2, 0x85, 0x0E]))]
        func twoTicks(_ settings: ProtocolSettings) -> [UInt8] {
            var emulator = driver.makeEmulator(settings)
            return emulator.unsolicited(field: field, now: Timestamp(milliseconds: 0))
                + emulator.unsolicited(field: field, now: Timestamp(milliseconds: 100))
        }
        // An RDM6300 repeats the card while it stays; an ID-12LA (the default) sends it once.
        #expect(twoTicks(["variant": "rdm6300"]) == EM4100Emulator.frame(field[0].id, variant: .rdm6300) + EM4100Emulator.frame(field[0].id, variant: .rdm6300))
        #expect(twoTicks([:]) == EM4100Emulator.frame(field[0].id, variant: .idInnovations))
        #expect(twoTicks(["variant": "id-innovations"]) == twoTicks([:]))
        #expect(try problems("em4100-ascii", ["variant": "rdm"]).map(\.expected) == ["one of id-innovations, rdm6300"])
        #expect(throws: ProtocolOptionError.self) { try driver.makeDecoder(["variant": "rdm"]) }
    }

    @Test func theKeyboardEmulatorTypesOnItsKeymap() throws {
        let keyboard = try #require(ProtocolRegistry.descriptor(for: "hid-keyboard"))
        let scan = BarcodeScan(data: Array("Größe-7@ zY".utf8))
        let reports = TrafficDecoding.emulatorTraffic(.scan(scan), by: keyboard, settings: ["keymap": "de"])
        #expect(try TrafficDecoding.frames(of: reports, by: keyboard, settings: ["keymap": "de"]) == [.barcode(scan)])
        // Read with the wrong keymap the same reports are garbled, as on a real desk.
        #expect(try TrafficDecoding.frames(of: reports, by: keyboard) != [.barcode(scan)])
    }

    @Test func thePOSEmulatorSplitsLongScans() throws {
        let scan = BarcodeScan(symbology: "]Q1", data: [UInt8](repeating: 0x41, count: 120))
        let reports = HIDPOSEmulator().reports(for: scan)
        #expect(reports.count == 3)
        #expect(reports.map { $0[63] } == [1, 1, 0])
        let pos = try #require(ProtocolRegistry.descriptor(for: "hid-pos"))
        #expect(try TrafficDecoding.frames(of: .reports(reports), by: pos) == [.barcode(scan)])
    }
}
