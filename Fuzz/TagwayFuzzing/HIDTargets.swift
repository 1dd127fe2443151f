import TagwayHID
import TagwayModel
import TagwayProtocols

/// The HID report descriptor parser and one target per HID protocol in `ProtocolRegistry`.
/// Report streams are records of `[milliseconds since the last report][length][report bytes]`,
/// so inter-key and continuation timeouts are reached too.
enum HIDTargets {
    static var all: [FuzzTarget] {
        [FuzzTarget(name: "hid-descriptor", summary: "HID report descriptor parser and reader-kind detection",
                    run: runDescriptor, seeds: { HIDSeeds.descriptors })]
            + ProtocolRegistry.all.compactMap { descriptor in
                guard descriptor.transport == .hidReports, let target = reportDecoders[descriptor.id] else { return nil }
                return FuzzTarget(name: descriptor.id, summary: target.summary, run: target.run, seeds: target.seeds)
            }
    }

    /// How each HID protocol's decoder is fuzzed (its settings drawn from the input). A HID
    /// protocol missing here has no fuzz target, which the registry's completeness test reports.
    static let reportDecoders: [String: (summary: String, run: @Sendable ([UInt8]) -> Void, seeds: @Sendable () -> [[UInt8]])] = [
        "hid-keyboard": ("HID keyboard-wedge decoder (boot reports, every keymap)", runKeyboard, { HIDSeeds.keyboardStreams }),
        "hid-pos": ("HID POS scanner decoder (scanned-data reports, continuations)", runPointOfSale, { HIDSeeds.pointOfSaleStreams }),
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
