import TagwayHID
import TagwayModel

/// A HID POS barcode scanner laid out as Honeywell's are: report 2 carries a byte count, the AIM
/// identifier, 56 data bytes and a "continued" flag, so a longer scan spans several reports.
public struct HIDPOSEmulator: HIDReportEmulator {
    public init() {}

    public var reportDescriptor: [UInt8] { Self.honeywellDescriptor }

    /// Report 2 = byte count, AIM id (0x8C FB-FD), 56 data bytes (0x8C FE), 2 vendor bytes, 8 flag
    /// bits of which bit 0 is Decode Data Continued (0x8C FF); report 4 = trigger output.
    public static let honeywellDescriptor: [UInt8] = [
        0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x12, 0xA1, 0x02, 0x85, 0x02,
        0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x01, 0x05, 0x01, 0x09, 0x3B, 0x81, 0x02,
        0x95, 0x03, 0x05, 0x8C, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD, 0x81, 0x02,
        0x95, 0x38, 0x09, 0xFE, 0x82, 0x02, 0x01, 0x06, 0x66, 0xFF, 0x95, 0x02, 0x09, 0x04, 0x09, 0x00, 0x81, 0x02,
        0x05, 0x8C, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x09, 0xFF, 0x81, 0x02, 0xC0,
        0x09, 0x14, 0xA1, 0x02, 0x85, 0x04, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08,
        0x09, 0x00, 0x09, 0x5F, 0x09, 0x60, 0x91, 0x02, 0xC0, 0xC0,
    ]

    public static let dataCapacity = 56

    public func reports(for scan: BarcodeScan) -> [[UInt8]] {
        var reports: [[UInt8]] = []
        var start = 0
        repeat {
            let end = min(scan.data.count, start + Self.dataCapacity)
            reports.append(Self.report(symbology: scan.symbology ?? "", data: scan.data[start..<end], continued: end < scan.data.count))
            start = end
        } while start < scan.data.count
        return reports
    }

    /// One scanned-data report.
    public static func report(symbology: String, data: ArraySlice<UInt8>, continued: Bool) -> [UInt8] {
        var report = [UInt8](repeating: 0, count: 64)
        report[0] = 2
        report[1] = UInt8(data.count)
        for (index, byte) in symbology.utf8.prefix(3).enumerated() { report[2 + index] = byte }
        for (index, byte) in data.enumerated() { report[5 + index] = byte }
        report[63] = continued ? 0x01 : 0x00
        return report
    }
}
