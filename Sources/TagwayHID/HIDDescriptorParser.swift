/// Walks the short items of a report descriptor, keeping the global and local item state of
/// HID 1.11 §6.2.2.7-8 and laying out main items bit by bit in their reports.
///
/// Bounded: the descriptor comes from a device, so nesting, item state stack, usage ranges and
/// report sizes are all capped and a descriptor that exceeds them is rejected, not followed.
struct HIDDescriptorParser {
    private struct Globals {
        var usagePage: UInt16 = 0
        var reportSize = 0
        var reportCount = 0
        var reportID: UInt8?
    }

    static let maximumDepth = 16
    static let maximumFields = 1024
    static let maximumUsagesPerItem = 1024
    static let maximumReportBits = 8 * 4096

    private(set) var fields: [HIDReportField] = []
    private(set) var applications: [HIDUsage] = []

    private var globals = Globals()
    private var stack: [Globals] = []
    private var usages: [HIDUsage] = []
    private var usageMinimum: UInt32?
    private var collections: [(type: UInt8, usage: HIDUsage?)] = []
    /// Next free bit per (kind, report id).
    private var cursors: [String: Int] = [:]

    mutating func parse(_ bytes: [UInt8]) throws(HIDDescriptorError) {
        var offset = 0
        while offset < bytes.count {
            let prefix = bytes[offset]
            if prefix == 0xFE {
                // Long item: size, tag, data. None are defined; skip it.
                guard offset + 2 < bytes.count else { throw HIDDescriptorError(offset: offset, reason: "long item runs past the end") }
                offset += 3 + Int(bytes[offset + 1])
                continue
            }
            let size = [0, 1, 2, 4][Int(prefix & 0x03)]
            guard offset + size < bytes.count else {
                throw HIDDescriptorError(offset: offset, reason: "item 0x\(String(prefix, radix: 16)) runs past the end")
            }
            var data: UInt32 = 0
            for index in 0..<size { data |= UInt32(bytes[offset + 1 + index]) << (8 * UInt32(index)) }
            try item(type: (prefix >> 2) & 0x03, tag: prefix >> 4, data: data, size: size, at: offset)
            offset += 1 + size
        }
        guard collections.isEmpty else { throw HIDDescriptorError(offset: bytes.count, reason: "collection not closed") }
    }

    private mutating func item(type: UInt8, tag: UInt8, data: UInt32, size: Int, at offset: Int) throws(HIDDescriptorError) {
        switch (type, tag) {
        case (0, 0x8): try mainItem(.input, flags: data, at: offset)
        case (0, 0x9): try mainItem(.output, flags: data, at: offset)
        case (0, 0xB): try mainItem(.feature, flags: data, at: offset)
        case (0, 0xA):
            guard collections.count < Self.maximumDepth else { throw HIDDescriptorError(offset: offset, reason: "collections nested too deep") }
            let usage = usages.first
            if data == 0x01 && collections.isEmpty, let usage { applications.append(usage) }
            collections.append((UInt8(truncatingIfNeeded: data), usage))
            clearLocals()
        case (0, 0xC):
            guard !collections.isEmpty else { throw HIDDescriptorError(offset: offset, reason: "End Collection without Collection") }
            collections.removeLast()
            clearLocals()
        case (1, 0x0): globals.usagePage = UInt16(truncatingIfNeeded: data)
        case (1, 0x7): globals.reportSize = Int(data)
        case (1, 0x8):
            guard data > 0 && data <= 0xFF else { throw HIDDescriptorError(offset: offset, reason: "report id \(data) out of range") }
            globals.reportID = UInt8(data)
        case (1, 0x9): globals.reportCount = Int(data)
        case (1, 0xA):
            guard stack.count < Self.maximumDepth else { throw HIDDescriptorError(offset: offset, reason: "Push too deep") }
            stack.append(globals)
        case (1, 0xB):
            guard let top = stack.popLast() else { throw HIDDescriptorError(offset: offset, reason: "Pop without Push") }
            globals = top
        case (2, 0x0): addUsage(data, size: size)
        case (2, 0x1): usageMinimum = size == 4 ? data : UInt32(globals.usagePage) << 16 | data
        case (2, 0x2):
            guard let minimum = usageMinimum else { break }
            let maximum = size == 4 ? data : UInt32(globals.usagePage) << 16 | data
            guard maximum >= minimum else { throw HIDDescriptorError(offset: offset, reason: "Usage Maximum below Usage Minimum") }
            for value in minimum...min(maximum, minimum + UInt32(Self.maximumUsagesPerItem - 1)) {
                usages.append(HIDUsage(page: UInt16(value >> 16), id: UInt16(truncatingIfNeeded: value)))
            }
            usageMinimum = nil
        default:
            break  // logical/physical ranges, units, designators, strings, delimiters: not needed here
        }
    }

    private mutating func addUsage(_ data: UInt32, size: Int) {
        guard usages.count < Self.maximumUsagesPerItem else { return }
        let page = size == 4 ? UInt16(data >> 16) : globals.usagePage
        usages.append(HIDUsage(page: page, id: UInt16(truncatingIfNeeded: data)))
    }

    private mutating func mainItem(_ kind: HIDReportField.Kind, flags: UInt32, at offset: Int) throws(HIDDescriptorError) {
        defer { clearLocals() }
        guard fields.count < Self.maximumFields else { throw HIDDescriptorError(offset: offset, reason: "too many fields") }
        let bits = globals.reportSize * globals.reportCount
        let key = "\(kind)-\(globals.reportID.map(String.init) ?? "none")"
        let start = cursors[key] ?? (globals.reportID == nil ? 0 : 8)
        guard bits >= 0, start + bits <= Self.maximumReportBits else {
            throw HIDDescriptorError(offset: offset, reason: "report longer than \(Self.maximumReportBits / 8) bytes")
        }
        cursors[key] = start + bits
        let application = collections.first { $0.type == 0x01 }?.usage
        fields.append(HIDReportField(
            kind: kind, reportID: globals.reportID, bitOffset: start, bitSize: globals.reportSize,
            count: globals.reportCount, flags: flags, usages: usages, application: application
        ))
    }

    private mutating func clearLocals() {
        usages = []
        usageMinimum = nil
    }
}
