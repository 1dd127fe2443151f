import TagwayEmulators
import TagwayHID
import TagwayModel

/// HID POS barcode scanners (usage page 0x8C), which send the scan and its AIM identifier in
/// reports laid out by their report descriptor.
enum HIDPOSProtocol {
    static let id = "hid-pos"

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "USB HID POS barcode scanner: scanned-data reports with AIM identifier",
        driver: .hidReports(HIDReportDriver(makeDecoding: { _ in .pointOfSale }, makeEmulator: { _ in HIDPOSEmulator() })),
        // The report layout comes from the scanner's report descriptor: nothing to set.
        settings: .none,
        samples: [
            TrafficSample("one report", .reports([HIDPOSEmulator.report(symbology: "]C0", data: Array("ABC".utf8)[...], continued: false)]),
                          frames: [.barcode(BarcodeScan(symbology: "]C0", data: Array("ABC".utf8)))]),
            TrafficSample("a scan continued in a second report",
                          .reports([HIDPOSEmulator.report(symbology: "]E0", data: Array("01234".utf8)[...], continued: true),
                                    HIDPOSEmulator.report(symbology: "]E0", data: Array("56789".utf8)[...], continued: false)]),
                          frames: [.barcode(BarcodeScan(symbology: "]E0", data: Array("0123456789".utf8)))]),
        ],
        emulation: .scan(BarcodeScan(symbology: "]Q1", data: Array(String(repeating: "0123456789", count: 8).utf8))))
}
