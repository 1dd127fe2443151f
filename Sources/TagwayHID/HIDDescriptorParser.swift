/// Walks the short items of a report descriptor, keeping the global and local item state of
/// HID 1.11 §6.2.2.7-8 and laying out main items bit by bit in their reports.
///
/// Bounded: the descriptor comes from whatever device is plugged in, and every attached device's
/// descriptor is read at start, so no value in it may trap or grow memory without bound. Length,
/// nesting, item state stack, usages and report sizes are all capped; arithmetic on item data is
/// checked; a descriptor past a cap is rejected with the item and byte offset, not followed.
struct HIDDescriptorParser {
    private struct Globals {
        var usagePage: UInt16 = 0
        var logicalMinimum = 0
        var logicalMaximum = 0
        var reportSize = 0
        var reportCount = 0
        var reportID: UInt8?
    }

    /// USB's wDescriptorLength is 16 bits.
    static let maximumLength = 65535
    static let maximumDepth = 16
    static let maximumFields = 1024
    static let maximumUsagesPerItem = 1024
    /// All fields together: 1024 fields of 1024 usages each would be 4 MiB from one device.
    static let maximumUsages = 16384
    /// Linux's hid-core refuses Report Size above 256 bits too.
    static let maximumReportSize = 256
    static let maximumReportBits = 8 * 4096

    private(set) var fields: [HIDReportField] = []
    private(set) var applications: [HIDUsage] = []

    private var globals = Globals()
    private var stack: [Globals] = []
    private var usages: [HIDUsage] = []
    private var usageCount = 0
    private var usageMinimum: UInt32?
    private var collections: [(type: UInt8, usage: HIDUsage?)] = []
    /// Next free bit per (kind, report id).
    private var cursors: [CursorKey: Int] = [:]

    private struct CursorKey: Hashable {
        var kind: HIDReportField.Kind
        var reportID: UInt8?
    }

    mutating func parse(_ bytes: [UInt8]) throws(HIDDescriptorError) {
        guard bytes.count <= Self.maximumLength else {
            throw HIDDescriptorError(offset: Self.maximumLength, item: nil,
                                     reason: "descriptor of \(bytes.count) bytes is longer than \(Self.maximumLength)")
        }
        var offset = 0
        while offset < bytes.count {
            let prefix = bytes[offset]
            if prefix == 0xFE {
                // Long item: size, tag, data. None are defined; skip it.
                guard offset + 2 < bytes.count, offset + 3 + Int(bytes[offset + 1]) <= bytes.count else {
                    throw HIDDescriptorError(offset: offset, item: "Long Item", reason: "runs past the end")
                }
                offset += 3 + Int(bytes[offset + 1])
                continue
            }
            let size = [0, 1, 2, 4][Int(prefix & 0x03)]
            guard offset + size < bytes.count else {
                throw HIDDescriptorError(offset: offset, item: Self.itemName(prefix),
                                         reason: "item 0x\(String(prefix, radix: 16)) runs past the end")
            }
            var data: UInt32 = 0
            for index in 0..<size { data |= UInt32(bytes[offset + 1 + index]) << (8 * UInt32(index)) }
            try item(type: (prefix >> 2) & 0x03, tag: prefix >> 4, data: data, size: size, at: offset)
            offset += 1 + size
        }
        guard collections.isEmpty else {
            throw HIDDescriptorError(offset: bytes.count, item: "Collection", reason: "collection not closed")
        }
    }

    private mutating func item(type: UInt8, tag: UInt8, data: UInt32, size: Int, at offset: Int) throws(HIDDescriptorError) {
        func fail(_ item: String, _ reason: String) -> HIDDescriptorError {
            HIDDescriptorError(offset: offset, item: item, reason: reason)
        }
        switch (type, tag) {
        case (0, 0x8): try mainItem(.input, flags: data, at: offset)
        case (0, 0x9): try mainItem(.output, flags: data, at: offset)
        case (0, 0xB): try mainItem(.feature, flags: data, at: offset)
        case (0, 0xA):
            guard collections.count < Self.maximumDepth else { throw fail("Collection", "collections nested too deep") }
            let usage = usages.first
            if data == 0x01 && collections.isEmpty, let usage { applications.append(usage) }
            collections.append((UInt8(truncatingIfNeeded: data), usage))
            clearLocals()
        case (0, 0xC):
            guard !collections.isEmpty else { throw fail("End Collection", "End Collection without Collection") }
            collections.removeLast()
            clearLocals()
        case (1, 0x0): globals.usagePage = UInt16(truncatingIfNeeded: data)
        case (1, 0x1): globals.logicalMinimum = Self.signed(data, size: size)
        case (1, 0x2): globals.logicalMaximum = Self.signed(data, size: size)
        case (1, 0x7):
            guard data <= Self.maximumReportSize else { throw fail("Report Size", "\(data) bits is more than \(Self.maximumReportSize)") }
            globals.reportSize = Int(data)
        case (1, 0x8):
            guard data > 0 && data <= 0xFF else { throw fail("Report ID", "report id \(data) out of range") }
            globals.reportID = UInt8(data)
        case (1, 0x9):
            guard data <= Self.maximumReportBits else { throw fail("Report Count", "\(data) values is more than \(Self.maximumReportBits)") }
            globals.reportCount = Int(data)
        case (1, 0xA):
            guard stack.count < Self.maximumDepth else { throw fail("Push", "Push too deep") }
            stack.append(globals)
        case (1, 0xB):
            guard let top = stack.popLast() else { throw fail("Pop", "Pop without Push") }
            globals = top
        case (2, 0x0): try addUsage(data, size: size, at: offset)
        case (2, 0x1): usageMinimum = size == 4 ? data : UInt32(globals.usagePage) << 16 | data
        case (2, 0x2):
            guard let minimum = usageMinimum else { break }
            let maximum = size == 4 ? data : UInt32(globals.usagePage) << 16 | data
            guard maximum >= minimum else { throw fail("Usage Maximum", "Usage Maximum below Usage Minimum") }
            // In 64 bits: a minimum near UInt32.max plus the cap must not wrap.
            let last = min(UInt64(maximum), UInt64(minimum) + UInt64(Self.maximumUsagesPerItem - 1))
            for value in UInt64(minimum)...last {
                try addUsage(HIDUsage(page: UInt16(truncatingIfNeeded: value >> 16), id: UInt16(truncatingIfNeeded: value)), at: offset)
            }
            usageMinimum = nil
        default:
            break  // physical ranges, units, designators, strings, delimiters: not needed here
        }
    }

    private mutating func addUsage(_ data: UInt32, size: Int, at offset: Int) throws(HIDDescriptorError) {
        let page = size == 4 ? UInt16(data >> 16) : globals.usagePage
        try addUsage(HIDUsage(page: page, id: UInt16(truncatingIfNeeded: data)), at: offset)
    }

    /// Usages past the per-item cap are ignored (the last one repeats anyway); past the
    /// descriptor-wide cap the descriptor is rejected.
    private mutating func addUsage(_ usage: HIDUsage, at offset: Int) throws(HIDDescriptorError) {
        guard usages.count < Self.maximumUsagesPerItem else { return }
        guard usageCount < Self.maximumUsages else {
            throw HIDDescriptorError(offset: offset, item: "Usage", reason: "more than \(Self.maximumUsages) usages")
        }
        usageCount += 1
        usages.append(usage)
    }

    private mutating func mainItem(_ kind: HIDReportField.Kind, flags: UInt32, at offset: Int) throws(HIDDescriptorError) {
        defer { clearLocals() }
        let item = kind == .input ? "Input" : kind == .output ? "Output" : "Feature"
        guard fields.count < Self.maximumFields else {
            throw HIDDescriptorError(offset: offset, item: item, reason: "more than \(Self.maximumFields) fields")
        }
        let key = CursorKey(kind: kind, reportID: globals.reportID)
        let start = cursors[key] ?? (globals.reportID == nil ? 0 : 8)
        // Both factors are capped above, but the sum is checked all the same: never trap on device data.
        let (bits, productOverflow) = globals.reportSize.multipliedReportingOverflow(by: globals.reportCount)
        let (end, sumOverflow) = start.addingReportingOverflow(bits)
        guard !productOverflow, !sumOverflow, end <= Self.maximumReportBits else {
            throw HIDDescriptorError(offset: offset, item: item,
                                     reason: "report longer than \(Self.maximumReportBits / 8) bytes "
                                         + "(Report Size \(globals.reportSize) x Report Count \(globals.reportCount) from bit \(start))")
        }
        cursors[key] = end
        let application = collections.first { $0.type == 0x01 }?.usage
        fields.append(HIDReportField(
            kind: kind, reportID: globals.reportID, bitOffset: start, bitSize: globals.reportSize,
            count: globals.reportCount, flags: flags, usages: usages, application: application,
            logicalMinimum: globals.logicalMinimum, logicalMaximum: globals.logicalMaximum
        ))
    }

    private mutating func clearLocals() {
        usages = []
        usageMinimum = nil
    }

    /// Logical extents are signed two's complement of the item's size (HID 1.11 §6.2.2.7).
    static func signed(_ data: UInt32, size: Int) -> Int {
        switch size {
        case 1: return Int(Int8(truncatingIfNeeded: data))
        case 2: return Int(Int16(truncatingIfNeeded: data))
        case 4: return Int(Int32(bitPattern: data))
        default: return 0
        }
    }

    /// The item's name in HID 1.11 terms, for errors.
    static func itemName(_ prefix: UInt8) -> String {
        let names: [UInt8: String] = [
            0x80: "Input", 0x90: "Output", 0xB0: "Feature", 0xA0: "Collection", 0xC0: "End Collection",
            0x04: "Usage Page", 0x14: "Logical Minimum", 0x24: "Logical Maximum", 0x34: "Physical Minimum",
            0x44: "Physical Maximum", 0x54: "Unit Exponent", 0x64: "Unit", 0x74: "Report Size", 0x84: "Report ID",
            0x94: "Report Count", 0xA4: "Push", 0xB4: "Pop", 0x08: "Usage", 0x18: "Usage Minimum", 0x28: "Usage Maximum",
        ]
        return names[prefix & 0xFC] ?? "item 0x" + String(prefix & 0xFC, radix: 16)
    }
}
