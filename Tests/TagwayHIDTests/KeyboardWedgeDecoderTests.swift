import Testing
import TagwayHID
import TagwayModel

@Suite("Keyboard-wedge decoder")
struct KeyboardWedgeDecoderTests {
    private let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    /// Feeds reports 8 ms apart (a scanner's usual pace) and returns the scans' text.
    private func decode(_ reports: [[UInt8]], _ decoder: inout KeyboardWedgeDecoder, from start: Timestamp? = nil) -> [String] {
        var time = start ?? t0
        var texts: [String] = []
        for report in reports {
            texts += HIDTestData.text(decoder.feed(report: report, at: time))
            time = time + .milliseconds(8)
        }
        return texts
    }

    private func typed(_ text: String, _ keymap: Keymap, terminator: UInt8? = 0x28) -> [[UInt8]] {
        KeyboardTypist(keymap: keymap).reports(text, terminator: terminator)!
    }

    @Test("round trip of barcodes", arguments: [
        ("us", "0123456789012"), ("us", "Abc-42/x.Y_Z ~!"), ("uk", "£5 \"quoted\" @ #1"),
        ("de", "Zebra-42/Äpfel @ß#y^1"), ("fr", "AZERTY-123 @ 4/5 m,w"),
    ])
    func roundTrip(layout: String, text: String) {
        let keymap = Keymap.named(layout)!
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(keymap: keymap))
        #expect(decode(typed(text, keymap), &decoder) == [text])
        #expect(decoder.statistics.scans == 1)
        #expect(decoder.nextDeadline == nil)
    }

    @Test func usReportsReadWithGermanMapSwapYAndZ() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(keymap: .german))
        #expect(decode(typed("zy", .us), &decoder) == ["yz"])
    }

    @Test func capsLockShiftsLettersOnly() {
        var decoder = KeyboardWedgeDecoder()
        let caps = [HIDTestData.keyReport(0, 0x39), HIDTestData.release]
        let reports = caps + [HIDTestData.keyReport(0, 0x04), HIDTestData.release,      // a -> A
                              HIDTestData.keyReport(0x02, 0x05), HIDTestData.release,   // Shift+b -> b
                              HIDTestData.keyReport(0, 0x1E), HIDTestData.release]      // 1 stays 1
            + caps + [HIDTestData.keyReport(0, 0x06), HIDTestData.release, HIDTestData.keyReport(0, 0x28)]
        #expect(decode(reports, &decoder) == ["Ab1c"])
    }

    @Test func tabTerminatorKeepsEnterAsData() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(terminator: .tab))
        #expect(decode(typed("A", .us, terminator: 0x28) + typed("B", .us, terminator: 0x2B), &decoder) == ["A\rB"])
    }

    @Test func errorReportsAreIgnoredAndCounted() {
        var decoder = KeyboardWedgeDecoder()
        let rollover: [UInt8] = [0, 0, 1, 1, 1, 1, 1, 1]
        let reports = [HIDTestData.keyReport(0, 0x04), rollover, HIDTestData.keyReport(0, 0x04, 0x05), HIDTestData.release,
                       [0, 0, 2, 2, 2, 2, 2, 2], HIDTestData.keyReport(0, 0x28)]
        #expect(decode(reports, &decoder) == ["ab"])
        #expect(decoder.statistics.errorReports == 2)
    }

    @Test func heldKeyTypesOnceAndRepeatedKeyTwice() {
        var decoder = KeyboardWedgeDecoder()
        let zero = HIDTestData.keyReport(0, 0x27)
        #expect(decode([zero, zero, zero, HIDTestData.release, zero, HIDTestData.release, HIDTestData.keyReport(0, 0x28)], &decoder) == ["00"])
    }

    @Test func timeoutEndsScanWithoutTerminator() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(terminator: .none, interKeyTimeout: .milliseconds(50)))
        #expect(decode(typed("0004", .us, terminator: nil), &decoder).isEmpty)
        let lastKey = t0 + .milliseconds(8 * 6)
        #expect(decoder.nextDeadline == lastKey + .milliseconds(50))
        #expect(HIDTestData.text(decoder.flush(now: lastKey + .milliseconds(49))).isEmpty)
        #expect(HIDTestData.text(decoder.flush(now: lastKey + .milliseconds(50))) == ["0004"])
        #expect(decoder.nextDeadline == nil)
        #expect(decoder.flush(now: lastKey + .seconds(10)).isEmpty)
    }

    @Test func reportAfterDeadlineEndsThePreviousScanFirst() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(terminator: .none, interKeyTimeout: .milliseconds(50)))
        _ = decode(typed("12", .us, terminator: nil), &decoder)
        let later = decode(typed("34", .us, terminator: nil), &decoder, from: t0 + .seconds(1))
        #expect(later == ["12"])
        #expect(HIDTestData.text(decoder.flush(now: t0 + .seconds(2))) == ["34"])
    }

    @Test func timeoutDropsPartialScanWhenTerminatorConfigured() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(terminator: .enter, interKeyTimeout: .milliseconds(50)))
        _ = decode(typed("PART", .us, terminator: nil), &decoder)
        #expect(decoder.flush(now: t0 + .seconds(1)).isEmpty)
        #expect(decoder.statistics.truncatedScans == 1)
        #expect(decode(typed("WHOLE", .us), &decoder, from: t0 + .seconds(2)) == ["WHOLE"])
    }

    @Test func resetDropsPartialScan() {
        var decoder = KeyboardWedgeDecoder()
        _ = decode(typed("PART", .us, terminator: nil), &decoder)
        decoder.reset()
        #expect(decoder.statistics.truncatedScans == 1)
        #expect(decode(typed("NEXT", .us), &decoder) == ["NEXT"])
    }

    @Test func controlAndAltCodesTypeGroupSeparator() {
        var decoder = KeyboardWedgeDecoder()
        let ctrlBracket = [HIDTestData.keyReport(0x01, 0x30), HIDTestData.release]
        let altCode = [HIDTestData.keyReport(0x04), HIDTestData.keyReport(0x04, 0x62), HIDTestData.keyReport(0x04),
                       HIDTestData.keyReport(0x04, 0x5A), HIDTestData.keyReport(0x04), HIDTestData.keyReport(0x04, 0x61),
                       HIDTestData.keyReport(0x04), HIDTestData.release]
        let reports = typed("01", .us, terminator: nil) + ctrlBracket + typed("10", .us, terminator: nil) + altCode
            + typed("21", .us)
        #expect(decode(reports, &decoder) == ["01\u{1D}10\u{1D}21"])
    }

    @Test func deadKeysCompose() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(keymap: .german))
        let circumflex = [HIDTestData.keyReport(0, 0x35), HIDTestData.release]
        let reports = circumflex + [HIDTestData.keyReport(0, 0x08), HIDTestData.release]   // ^ e -> ê
            + circumflex + [HIDTestData.keyReport(0, 0x2C), HIDTestData.release]           // ^ space -> ^
            + circumflex + [HIDTestData.keyReport(0, 0x1E), HIDTestData.release]           // ^ 1 -> ^1
            + [HIDTestData.keyReport(0, 0x28)]
        #expect(decode(reports, &decoder) == ["ê^^1"])
    }

    @Test func keypadIsLayoutIndependent() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(keymap: .german))
        let reports = [HIDTestData.keyReport(0, 0x59), HIDTestData.release, HIDTestData.keyReport(0, 0x63), HIDTestData.release,
                       HIDTestData.keyReport(0, 0x62), HIDTestData.release, HIDTestData.keyReport(0, 0x58)]
        #expect(decode(reports, &decoder) == ["1,0"])
    }

    @Test func unmappedKeysAndMalformedReportsAreCounted() {
        var decoder = KeyboardWedgeDecoder()
        let reports = [HIDTestData.keyReport(0, 0x3A), HIDTestData.release, [0x00, 0x00], HIDTestData.keyReport(0, 0x04),
                       HIDTestData.keyReport(0, 0x28)]
        #expect(decode(reports, &decoder) == ["a"])
        #expect(decoder.statistics.unmappedKeys == 1)
        #expect(decoder.statistics.malformedReports == 1)
        #expect(decoder.statistics.reports == 5)
    }

    @Test func overlongScanIsDropped() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(maximumScanLength: 4))
        #expect(decode(typed("123456", .us) + typed("1234", .us), &decoder) == ["1234"])
        #expect(decoder.statistics.overlongScans == 1)
    }

    @Test func symbologyPrefixIsSplitOff() {
        var decoder = KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration(symbologyPrefix: true))
        var time = t0
        var scans: [BarcodeScan] = []
        for report in typed("]E05901234123457", .us) {
            for case .barcode(let scan) in decoder.feed(report: report, at: time) { scans.append(scan) }
            time = time + .milliseconds(8)
        }
        #expect(scans == [BarcodeScan(symbology: "]E0", data: Array("5901234123457".utf8))])
    }
}

@Suite("Keyboard-wedge profile settings")
struct KeyboardWedgeSettingsTests {
    @Test func profileSettingsAreRead() throws {
        let configuration = try KeyboardWedgeConfiguration(settings: ["keymap": "de", "terminator": "tab", "interKeyTimeoutMs": "50"])
        #expect(configuration.keymap == .german)
        #expect(configuration.terminator == .tab)
        #expect(configuration.interKeyTimeout == .milliseconds(50))
        #expect(!configuration.timeoutEndsScan)
        #expect(try KeyboardWedgeConfiguration(settings: ["terminator": "none"]).timeoutEndsScan)
        #expect(try KeyboardWedgeConfiguration(settings: [:]) == KeyboardWedgeConfiguration())
    }

    @Test("bad settings name the key and what would be right", arguments: [
        (["keymap": "dvorak"], "keymap"), (["terminator": "space"], "terminator"),
        (["interKeyTimeoutMs": "fast"], "interKeyTimeoutMs"), (["symbologyPrefix": "maybe"], "symbologyPrefix"),
        (["keyMap": "us"], "keyMap"),
    ])
    func rejects(settings: [String: String], key: String) {
        #expect(throws: HIDSettingError.self) { try KeyboardWedgeConfiguration(settings: settings) }
        do {
            _ = try KeyboardWedgeConfiguration(settings: settings)
        } catch {
            #expect(error.key == key)
        }
    }
}
