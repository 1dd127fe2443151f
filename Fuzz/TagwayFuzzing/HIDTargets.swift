import TagwayHID
import TagwayModel

/// The HID report descriptor parser and the two HID report decoders. Report streams are
/// records of `[milliseconds since the last report][length][report bytes]`, so inter-key and
/// continuation timeouts are reached too.
enum HIDTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "hid-descriptor", summary: "HID report descriptor parser and reader-kind detection",
                   run: runDescriptor, seeds: { HIDSeeds.descriptors }),
        FuzzTarget(name: "hid-keyboard", summary: "HID keyboard-wedge decoder (boot reports, every keymap)",
                   run: runKeyboard, seeds: { HIDSeeds.keyboardStreams }),
        FuzzTarget(name: "hid-pos", summary: "HID POS scanner decoder (scanned-data reports, continuations)",
                   run: runPointOfSale, seeds: { HIDSeeds.pointOfSaleStreams }),
    ]

    static func runDescriptor(_ bytes: [UInt8]) {
        do {
            let descriptor = try HIDReportDescriptor(bytes: bytes)
            for field in descriptor.fields {
                fuzzInvariant(field.bitOffset >= 0 && field.bitSize >= 0 && field.count >= 0, "field extents are not negative")
            }
            let ids = Set(descriptor.inputFields.map(\.reportID))
            for id in ids { _ = descriptor.inputReportLength(reportID: id) }
            if case .pointOfSaleScanner(let layout) = descriptor.readerKind {
                fuzzInvariant(layout.isUsable, "a layout from a descriptor is usable: \(layout)")
                // A report of the layout's length must decode without trapping.
                var decoder = HIDPOSDecoder(layout: layout)
                var report = [UInt8](repeating: 0x41, count: layout.minimumReportLength)
                if let id = layout.reportID { report[0] = id }
                _ = decoder.feed(report: report, at: Timestamp(milliseconds: 0))
            }
        } catch {
            fuzzInvariant(error.offset >= 0 && error.offset <= bytes.count, "error offset \(error.offset) inside the descriptor")
            _ = error.description
        }
    }

    static func runKeyboard(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let options = input.byte()
        let configuration = KeyboardWedgeConfiguration(
            keymap: Keymap.all[Int(options & 0x03)],
            terminator: ScanTerminator.allCases[Int(options >> 2 & 0x03) % ScanTerminator.allCases.count],
            interKeyTimeout: .milliseconds(100), timeoutEndsScan: options & 0x10 != 0,
            symbologyPrefix: options & 0x20 != 0, maximumScanLength: options & 0x40 != 0 ? 8 : 4096)
        var decoder = KeyboardWedgeDecoder(configuration: configuration)
        var now: Int64 = 0
        while !input.isAtEnd {
            now += Int64(input.byte())
            let length = Int(input.byte())
            let report = input.take(length)
            for frame in decoder.feed(report: report, at: Timestamp(milliseconds: now)) { checkScan(frame, limit: configuration.maximumScanLength) }
            if let deadline = decoder.nextDeadline {
                fuzzInvariant(deadline.milliseconds >= now, "the next deadline is not in the past")
            }
        }
        now += 10_000
        for frame in decoder.flush(now: Timestamp(milliseconds: now)) { checkScan(frame, limit: configuration.maximumScanLength) }
        fuzzInvariant(decoder.nextDeadline == nil, "nothing is pending after the timeout")
    }

    static func runPointOfSale(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let layout = input.pick(HIDSeeds.layouts)
        var decoder = HIDPOSDecoder(layout: layout, maximumScanLength: 512)
        var now: Int64 = 0
        while !input.isAtEnd {
            now += Int64(input.byte()) * 8
            let length = Int(input.byte())
            let report = input.take(length)
            for frame in decoder.feed(report: report, at: Timestamp(milliseconds: now)) { checkScan(frame, limit: 512) }
        }
        _ = decoder.flush(now: Timestamp(milliseconds: now + 10_000))
        fuzzInvariant(!decoder.hasPartialScan, "nothing is pending after the timeout")
    }

    private static func checkScan(_ frame: ReaderFrame, limit: Int) {
        guard case .barcode(let scan) = frame else { return }
        fuzzInvariant(!scan.data.isEmpty, "a scan has data")
        fuzzInvariant(scan.data.count <= limit * 4, "a scan of \(scan.data.count) bytes stays near the limit \(limit)")
    }
}
