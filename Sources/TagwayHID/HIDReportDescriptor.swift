/// A HID usage: a usage page and a usage id on it (HID 1.11 §5.5).
public struct HIDUsage: Hashable, Sendable, CustomStringConvertible {
    public var page: UInt16
    public var id: UInt16

    public init(page: UInt16, id: UInt16) {
        self.page = page
        self.id = id
    }

    public static let keyboard = HIDUsage(page: 0x01, id: 0x06)
    public static let byteCount = HIDUsage(page: 0x01, id: 0x3B)
    public static let barCodeScanner = HIDUsage(page: 0x8C, id: 0x02)
    public static let scannedDataReport = HIDUsage(page: 0x8C, id: 0x12)
    public static let symbologyIdentifier1 = HIDUsage(page: 0x8C, id: 0xFB)
    public static let symbologyIdentifier2 = HIDUsage(page: 0x8C, id: 0xFC)
    public static let symbologyIdentifier3 = HIDUsage(page: 0x8C, id: 0xFD)
    public static let decodedData = HIDUsage(page: 0x8C, id: 0xFE)
    public static let decodeDataContinued = HIDUsage(page: 0x8C, id: 0xFF)

    public static let keyboardPage: UInt16 = 0x07
    public static let barCodeScannerPage: UInt16 = 0x8C

    public var description: String {
        "0x" + String(page, radix: 16, uppercase: true) + ":0x" + String(id, radix: 16, uppercase: true)
    }
}

/// One Input, Output or Feature main item: where its values sit in the report and what they mean.
public struct HIDReportField: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case input, output, feature }

    public var kind: Kind
    /// The report id, or nil when the descriptor uses none.
    public var reportID: UInt8?
    /// Bit position of the first value in the report as it arrives, counting the report id byte.
    public var bitOffset: Int
    /// Bits per value (Report Size) and number of values (Report Count).
    public var bitSize: Int
    public var count: Int
    /// The item's data bits: bit 0 constant, bit 1 variable (else array), bit 8 buffered bytes.
    public var flags: UInt32
    /// Usages in the order the item listed them (Usage items, or a Usage Minimum..Maximum range).
    public var usages: [HIDUsage]
    /// The usage of the innermost enclosing Application collection.
    public var application: HIDUsage?
    /// Logical Minimum and Maximum in effect, sign-extended; kept, not used in arithmetic.
    public var logicalMinimum: Int
    public var logicalMaximum: Int

    public init(
        kind: Kind, reportID: UInt8?, bitOffset: Int, bitSize: Int, count: Int, flags: UInt32,
        usages: [HIDUsage], application: HIDUsage?, logicalMinimum: Int = 0, logicalMaximum: Int = 0
    ) {
        self.kind = kind
        self.reportID = reportID
        self.bitOffset = bitOffset
        self.bitSize = bitSize
        self.count = count
        self.flags = flags
        self.usages = usages
        self.application = application
        self.logicalMinimum = logicalMinimum
        self.logicalMaximum = logicalMaximum
    }

    public var isConstant: Bool { flags & 0x01 != 0 }
    public var isArray: Bool { flags & 0x02 == 0 }

    /// The usage of value `index`; the last listed usage repeats for the values after it.
    public func usage(at index: Int) -> HIDUsage? {
        guard !usages.isEmpty else { return nil }
        return isArray ? nil : usages[min(index, usages.count - 1)]
    }

    /// The byte offset of value `index`, when it starts on a byte boundary (nil past Int's range).
    public func byteOffset(of index: Int) -> Int? {
        guard let bit = bitPosition(of: index) else { return nil }
        return bit % 8 == 0 ? bit / 8 : nil
    }

    /// The bit position of value `index`, checked: fields can be built by hand too.
    public func bitPosition(of index: Int) -> Int? {
        let (scaled, productOverflow) = index.multipliedReportingOverflow(by: bitSize)
        let (bit, sumOverflow) = bitOffset.addingReportingOverflow(scaled)
        return productOverflow || sumOverflow || bit < 0 ? nil : bit
    }
}

/// Why a report descriptor could not be read: the byte offset of the item, its name, and why.
public struct HIDDescriptorError: Error, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    /// The item (`Report Size`, `Usage Maximum`...), nil for the descriptor as a whole.
    public var item: String?
    public var reason: String

    public init(offset: Int, item: String? = nil, reason: String) {
        self.offset = offset
        self.item = item
        self.reason = reason
    }

    public var description: String {
        "HID report descriptor, byte \(offset)" + (item.map { " (\($0))" } ?? "") + ": \(reason)"
    }
}

/// A parsed HID report descriptor: enough of HID 1.11 §6.2.2 to find where a boot keyboard's
/// keys or a HID POS scanner's decoded data sit in the reports.
public struct HIDReportDescriptor: Hashable, Sendable {
    public let bytes: [UInt8]
    public let fields: [HIDReportField]
    /// Usages of the top-level Application collections, in order.
    public let applications: [HIDUsage]

    public init(bytes: [UInt8]) throws(HIDDescriptorError) {
        var parser = HIDDescriptorParser()
        try parser.parse(bytes)
        self.bytes = bytes
        self.fields = parser.fields
        self.applications = parser.applications
    }

    public var usesReportIDs: Bool { fields.contains { $0.reportID != nil } }

    public var inputFields: [HIDReportField] { fields.filter { $0.kind == .input } }

    /// Length in bytes of the input report with `reportID` (counting the id byte), from its fields.
    public func inputReportLength(reportID: UInt8?) -> Int {
        let bits = inputFields.filter { $0.reportID == reportID }.compactMap { $0.bitPosition(of: $0.count) }.max()
        let total = bits ?? (reportID == nil ? 0 : 8)
        return total / 8 + (total % 8 == 0 ? 0 : 1)
    }

    /// The first input field carrying `usage` and the index of the value that carries it.
    public func inputField(with usage: HIDUsage) -> (field: HIDReportField, index: Int)? {
        for field in inputFields where !field.isArray {
            // Values past the listed usages repeat the last one: no need to walk a huge count.
            for index in 0..<min(field.count, field.usages.count) where field.usage(at: index) == usage {
                return (field, index)
            }
        }
        return nil
    }

    /// What kind of reader the descriptor describes.
    public var readerKind: HIDReaderKind {
        if let layout = HIDPOSReportLayout(descriptor: self) { return .pointOfSaleScanner(layout) }
        let keyboard = applications.contains(.keyboard)
            && inputFields.contains { $0.usages.contains { $0.page == HIDUsage.keyboardPage } }
        return keyboard ? .keyboard : .other
    }
}

/// What a HID interface is, as far as the gateway cares.
public enum HIDReaderKind: Hashable, Sendable {
    /// A keyboard (a keyboard-wedge scanner or RFID reader): read with a keymap.
    case keyboard
    /// A HID POS barcode scanner (usage page 0x8C) with its scanned-data report layout.
    case pointOfSaleScanner(HIDPOSReportLayout)
    case other

    public var name: String {
        switch self {
        case .keyboard: return "keyboard"
        case .pointOfSaleScanner: return "hid-pos"
        case .other: return "other"
        }
    }
}
