import TagwayHID
import TagwayModel

/// Report descriptors and report builders shared by the pure HID tests.
enum HIDTestData {
    /// The boot keyboard descriptor of HID 1.11 appendix B.1: modifiers, reserved byte, LEDs
    /// (output), six key slots.
    static let bootKeyboardDescriptor: [UInt8] = [
        0x05, 0x01, 0x09, 0x06, 0xA1, 0x01,             // Generic Desktop, Keyboard, Application
        0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7,             // Keyboard page, modifiers E0-E7
        0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,   // 8 x 1 bit, Input (Var)
        0x95, 0x01, 0x75, 0x08, 0x81, 0x01,             // reserved byte, Input (Const)
        0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02,   // LEDs, Output
        0x95, 0x01, 0x75, 0x03, 0x91, 0x01,             // LED padding
        0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65,
        0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, // 6 key slots, Input (Array)
        0xC0,
    ]

    /// A HID POS scanner as Honeywell lays it out: report 2 = byte count (Generic Desktop Byte
    /// Count), AIM id (0x8C FB-FD), 56 data bytes (0x8C FE), 2 vendor bytes, 8 flag bits of which
    /// bit 0 is Decode Data Continued (0x8C FF); report 4 = trigger output.
    static let posDescriptor: [UInt8] = [
        0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01,             // Bar Code Scanner page, Bar Code Scanner, Application
        0x09, 0x12, 0xA1, 0x02, 0x85, 0x02,             // Scanned Data Report, Logical, Report ID 2
        0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x01,
        0x05, 0x01, 0x09, 0x3B, 0x81, 0x02,             // Byte Count
        0x95, 0x03, 0x05, 0x8C, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD, 0x81, 0x02,   // AIM id
        0x95, 0x38, 0x09, 0xFE, 0x82, 0x02, 0x01,       // 56 x Decoded Data, buffered bytes
        0x06, 0x66, 0xFF, 0x95, 0x02, 0x09, 0x04, 0x09, 0x00, 0x81, 0x02,         // vendor bytes
        0x05, 0x8C, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x09, 0xFF, 0x81, 0x02,   // flags
        0xC0,
        0x09, 0x14, 0xA1, 0x02, 0x85, 0x04,             // Trigger Report, Report ID 4
        0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x09, 0x00, 0x09, 0x5F, 0x09, 0x60,
        0x91, 0x02,
        0xC0,
        0xC0,
    ]

    /// One Honeywell-layout scanned-data report.
    static func posReport(aim: String, data: [UInt8], continued: Bool, reportID: UInt8 = 2) -> [UInt8] {
        var report = [UInt8](repeating: 0, count: 64)
        report[0] = reportID
        report[1] = UInt8(data.count)
        for (index, byte) in aim.utf8.prefix(3).enumerated() { report[2 + index] = byte }
        for (index, byte) in data.prefix(56).enumerated() { report[5 + index] = byte }
        report[63] = continued ? 0x01 : 0x00
        return report
    }

    /// The reports that carry `text` in 56-byte pieces.
    static func posReports(aim: String, text: String) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        var reports: [[UInt8]] = []
        var start = 0
        repeat {
            let end = min(bytes.count, start + 56)
            reports.append(posReport(aim: aim, data: Array(bytes[start..<end]), continued: end < bytes.count))
            start = end
        } while start < bytes.count
        return reports
    }

    static func keyReport(_ modifiers: UInt8 = 0, _ keys: UInt8...) -> [UInt8] {
        var report: [UInt8] = [modifiers, 0, 0, 0, 0, 0, 0, 0]
        for (index, key) in keys.prefix(6).enumerated() { report[2 + index] = key }
        return report
    }

    static let release: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0]

    static func text(_ frames: [ReaderFrame]) -> [String] {
        frames.compactMap { frame in
            if case .barcode(let scan) = frame { return scan.text }
            return nil
        }
    }
}
