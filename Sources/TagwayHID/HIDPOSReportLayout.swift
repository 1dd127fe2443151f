/// Where the parts of a HID POS scanned-data report sit (HID Point of Sale Usage Tables 1.02,
/// usage page 0x8C), in bytes of the report as it arrives, report id included.
public struct HIDPOSReportLayout: Hashable, Sendable {
    /// The scanned-data report's id; other report ids (trigger, status) are not scans.
    public var reportID: UInt8?
    /// Offset of the byte that counts the decoded-data bytes in this report (Honeywell's Generic
    /// Desktop "Byte Count"); nil when the scanner zero-pads instead.
    public var byteCountOffset: Int?
    /// Offsets of Symbology Identifier 1, 2, 3: the AIM id (`]`, code character, modifier).
    public var symbologyOffsets: [Int]
    /// Offset and capacity of the Decoded Data bytes.
    public var dataOffset: Int
    public var dataCapacity: Int
    /// Byte and bit mask of the Decode Data Continued flag: more of this scan follows.
    public var continuedOffset: Int?
    public var continuedMask: UInt8

    public init(
        reportID: UInt8?, byteCountOffset: Int?, symbologyOffsets: [Int], dataOffset: Int, dataCapacity: Int,
        continuedOffset: Int?, continuedMask: UInt8
    ) {
        self.reportID = reportID
        self.byteCountOffset = byteCountOffset
        self.symbologyOffsets = symbologyOffsets
        self.dataOffset = dataOffset
        self.dataCapacity = dataCapacity
        self.continuedOffset = continuedOffset
        self.continuedMask = continuedMask
    }

    /// Honeywell's 64-byte report: id 2, byte count, 3 AIM bytes, 56 data bytes, 2 vendor
    /// symbology bytes, flags with bit 0 = continued. Used when a descriptor cannot be read.
    public static let honeywell = HIDPOSReportLayout(
        reportID: 2, byteCountOffset: 1, symbologyOffsets: [2, 3, 4], dataOffset: 5, dataCapacity: 56,
        continuedOffset: 63, continuedMask: 0x01
    )

    /// False for a hand-built layout with a negative offset or capacity, or one past Int's
    /// range: the decoder then treats every report as malformed instead of trapping.
    public var isUsable: Bool {
        let offsets = [dataOffset, dataCapacity] + symbologyOffsets + [byteCountOffset, continuedOffset].compactMap { $0 }
        return offsets.allSatisfy { $0 >= 0 } && !dataOffset.addingReportingOverflow(dataCapacity).overflow
            && offsets.allSatisfy { $0 < Int.max }
    }

    /// The shortest report that holds every part.
    public var minimumReportLength: Int {
        guard isUsable else { return Int.max }
        var end = dataOffset + dataCapacity
        if let byteCountOffset { end = max(end, byteCountOffset + 1) }
        if let continuedOffset { end = max(end, continuedOffset + 1) }
        for offset in symbologyOffsets { end = max(end, offset + 1) }
        return end
    }

    /// The layout a descriptor declares, found by usage rather than by vendor; nil when the
    /// descriptor has no byte-aligned 8-bit Decoded Data input on the bar code scanner page.
    public init?(descriptor: HIDReportDescriptor) {
        guard let (data, dataIndex) = descriptor.inputField(with: .decodedData),
              data.bitSize == 8, let dataStart = data.byteOffset(of: dataIndex)
        else { return nil }
        let sameReport = { (usage: HIDUsage) -> (HIDReportField, Int)? in
            guard let found = descriptor.inputField(with: usage), found.field.reportID == data.reportID else { return nil }
            return found
        }
        var symbology: [Int] = []
        for usage in [HIDUsage.symbologyIdentifier1, .symbologyIdentifier2, .symbologyIdentifier3] {
            if let (field, index) = sameReport(usage), field.bitSize == 8, let offset = field.byteOffset(of: index) {
                symbology.append(offset)
            }
        }
        var byteCount: Int?
        if let (field, index) = sameReport(.byteCount), field.bitSize == 8 { byteCount = field.byteOffset(of: index) }
        var continuedOffset: Int?
        var continuedMask: UInt8 = 0
        if let (field, index) = sameReport(.decodeDataContinued), let bit = field.bitPosition(of: index) {
            continuedOffset = bit / 8
            continuedMask = 1 << UInt8(bit % 8)
        }
        self.init(
            reportID: data.reportID, byteCountOffset: byteCount, symbologyOffsets: symbology,
            dataOffset: dataStart, dataCapacity: data.count - dataIndex,
            continuedOffset: continuedOffset, continuedMask: continuedMask
        )
    }
}
