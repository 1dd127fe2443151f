import TagwayEmulators
import TagwayHID

/// Seed inputs for the HID targets. The descriptors recorded from real devices (the umockdev
/// files) and the hostile-descriptor fixtures are added by `tagway-fuzz seed` from the repository.
enum HIDSeeds {
    static let bootKeyboard: [UInt8] = [
        0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7,
        0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01,
        0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x01,
        0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0,
    ]

    /// The Honeywell HID POS layout the emulator presents (one copy of the bytes).
    static var honeywellPOS: [UInt8] { HIDPOSEmulator.honeywellDescriptor }

    static var descriptors: [[UInt8]] {
        [bootKeyboard, honeywellPOS, [0xFE, 0x02, 0x10, 0xAA, 0xBB], [0xA4, 0xB4], [0x05, 0x8C, 0x19, 0x01, 0x2A, 0xFF, 0xFF]]
    }

    /// Layouts the POS target picks from: Honeywell's, a zero-padded one without byte count,
    /// and the smallest possible.
    static let layouts: [HIDPOSReportLayout] = [
        .honeywell,
        HIDPOSReportLayout(reportID: 3, byteCountOffset: nil, symbologyOffsets: [1, 2, 3], dataOffset: 4,
                           dataCapacity: 32, continuedOffset: 36, continuedMask: 0x01),
        HIDPOSReportLayout(reportID: nil, byteCountOffset: nil, symbologyOffsets: [], dataOffset: 0,
                           dataCapacity: 1, continuedOffset: nil, continuedMask: 0),
    ]

    /// Boot reports typing `0100E2850E` then Enter (US layout), each key pressed then released.
    static var keyboardStreams: [[UInt8]] {
        let keys: [(UInt8, Bool)] = [(0x27, false), (0x1E, false), (0x27, false), (0x27, false), (0x08, true), (0x1F, false),
                                     (0x25, false), (0x22, false), (0x27, false), (0x08, true), (0x28, false)]
        var records: [(step: UInt8, payload: [UInt8])] = []
        for (key, shift) in keys {
            records.append((5, [shift ? 0x02 : 0x00, 0, key, 0, 0, 0, 0, 0]))
            records.append((5, [0, 0, 0, 0, 0, 0, 0, 0]))
        }
        let stream = FuzzRecords.encode(records)
        return [[0x00] + stream, [0x08] + stream, [0x21] + stream, [0x00] + stream + FuzzRecords.encode([(200, [0, 0, 1, 1, 1, 1, 1, 1])])]
    }

    /// A Honeywell scan of `]C0ABC` in one report, and a continued scan in two.
    static var pointOfSaleStreams: [[UInt8]] {
        func report(_ text: String, continued: Bool) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: 64)
            bytes[0] = 2
            bytes[1] = UInt8(text.utf8.count)
            bytes.replaceSubrange(2...4, with: Array("]C0".utf8))
            bytes.replaceSubrange(5..<(5 + text.utf8.count), with: Array(text.utf8))
            bytes[63] = continued ? 1 : 0
            return bytes
        }
        let one = FuzzRecords.encode([(1, report("ABC", continued: false))])
        let two = FuzzRecords.encode([(1, report("0123", continued: true)), (1, report("4567\r\n", continued: false))])
        return [[0] + one, [0] + two, [0] + FuzzRecords.encode([(1, report("0123", continued: true)), (200, report("X", continued: false))])]
    }
}
