import Testing
import TagwayHID

@Suite("HID report descriptors")
struct HIDReportDescriptorTests {
    @Test func bootKeyboardIsRecognised() throws {
        let descriptor = try HIDReportDescriptor(bytes: HIDTestData.bootKeyboardDescriptor)
        #expect(descriptor.readerKind == .keyboard)
        #expect(descriptor.applications == [.keyboard])
        #expect(!descriptor.usesReportIDs)
        #expect(descriptor.inputReportLength(reportID: nil) == 8)
        let inputs = descriptor.inputFields
        #expect(inputs.map(\.bitOffset) == [0, 8, 16])
        #expect(inputs[0].usage(at: 1) == HIDUsage(page: 0x07, id: 0xE1))
        #expect(inputs[1].isConstant)
        #expect(inputs[2].isArray && inputs[2].count == 6)
        #expect(descriptor.fields.filter { $0.kind == .output }.map(\.bitOffset) == [0, 5])
    }

    @Test func honeywellStylePOSScannerGivesTheHoneywellLayout() throws {
        let descriptor = try HIDReportDescriptor(bytes: HIDTestData.posDescriptor)
        #expect(descriptor.applications == [.barCodeScanner])
        #expect(descriptor.readerKind == .pointOfSaleScanner(.honeywell))
        #expect(descriptor.inputReportLength(reportID: 2) == 64)
    }

    @Test func zeroPaddedPOSScannerWithoutByteCount() throws {
        let bytes: [UInt8] = [
            0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x03,
            0x75, 0x08, 0x95, 0x03, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD, 0x81, 0x02,
            0x95, 0x20, 0x09, 0xFE, 0x81, 0x02,
            0x75, 0x01, 0x95, 0x01, 0x09, 0xFF, 0x81, 0x02, 0x75, 0x07, 0x81, 0x03,
            0xC0,
        ]
        let descriptor = try HIDReportDescriptor(bytes: bytes)
        let expected = HIDPOSReportLayout(reportID: 3, byteCountOffset: nil, symbologyOffsets: [1, 2, 3], dataOffset: 4,
                                          dataCapacity: 32, continuedOffset: 36, continuedMask: 0x01)
        #expect(descriptor.readerKind == .pointOfSaleScanner(expected))
        #expect(descriptor.inputReportLength(reportID: 3) == 37)
    }

    @Test func extendedUsagesAndPushPop() throws {
        let bytes: [UInt8] = [
            0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01,                     // vendor application
            0xA4, 0x05, 0x8C, 0xB4,                                       // Push, page 0x8C, Pop
            0x75, 0x08, 0x95, 0x04, 0x0B, 0xFE, 0x00, 0x8C, 0x00, 0x81, 0x02,  // extended usage 0x8C:FE
            0xFE, 0x02, 0x10, 0xAA, 0xBB,                                 // a long item, skipped
            0xC0,
        ]
        let descriptor = try HIDReportDescriptor(bytes: bytes)
        #expect(descriptor.applications == [HIDUsage(page: 0xFF00, id: 0x01)])
        #expect(descriptor.inputFields.first?.usages == [.decodedData])
        #expect(descriptor.inputFields.first?.application == HIDUsage(page: 0xFF00, id: 0x01))
    }

    @Test("broken descriptors are rejected with the offset", arguments: [
        ([0x05, 0x01, 0x09], 2),             // item data runs past the end
        ([0xC0], 0),                          // End Collection without Collection
        ([0xB4], 0),                          // Pop without Push
        ([0x05, 0x01, 0xA1, 0x01], 4),        // collection never closed
        ([0x85, 0x00], 0),                    // report id 0
        ([0x75, 0xFF, 0x96, 0xFF, 0x7F, 0x81, 0x02], 5),   // a report far too long
    ] as [([UInt8], Int)])
    func rejects(bytes: [UInt8], offset: Int) {
        #expect(throws: HIDDescriptorError.self) { try HIDReportDescriptor(bytes: bytes) }
        do {
            _ = try HIDReportDescriptor(bytes: bytes)
        } catch {
            #expect(error.offset == offset)
        }
    }

    @Test func bootReportParsing() {
        let report = BootKeyboardReport(bytes: [0x22, 0x00, 0x04, 0x00, 0x05, 0, 0, 0])
        #expect(report?.modifiers.shift == true)
        #expect(report?.keys == [0x04, 0x05])
        #expect(report?.isErrorReport == false)
        #expect(BootKeyboardReport(bytes: [0, 0, 1, 1, 1, 1, 1, 1])?.isErrorReport == true)
        #expect(BootKeyboardReport(bytes: [0, 0]) == nil)
        #expect(KeyboardModifiers(rawValue: 0x05).altGr, "Ctrl+Alt is AltGr")
    }
}
