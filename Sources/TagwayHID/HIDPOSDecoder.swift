import TagwayModel

/// Reads the scanned-data reports of a HID POS scanner (usage page 0x8C) and reassembles scans
/// longer than one report: each report carries up to `dataCapacity` bytes and a continued flag,
/// and the scan is whole at the first report without the flag.
///
/// Pure, like the keyboard decoder: a continuation that does not arrive within
/// `continuationTimeout` is dropped when `flush(now:)` or the next report sees the deadline passed.
public struct HIDPOSDecoder: Sendable {
    public let layout: HIDPOSReportLayout
    public let maximumScanLength: Int
    public let continuationTimeout: Duration
    /// Drop one trailing CR, LF or CRLF: a suffix set up for keyboard mode also arrives here.
    public let stripLineEnd: Bool
    public private(set) var statistics = HIDDecoderStatistics()

    private var pending: [UInt8] = []
    private var symbology: String?
    private var continuing = false
    private var overlong = false
    private var lastReportAt: Timestamp?
    /// `layout.minimumReportLength`, worked out once: Int.max for an unusable layout.
    private let minimumReportLength: Int

    public init(
        layout: HIDPOSReportLayout = .honeywell, maximumScanLength: Int = 16384,
        continuationTimeout: Duration = .seconds(1), stripLineEnd: Bool = true
    ) {
        self.layout = layout
        self.maximumScanLength = maximumScanLength
        self.continuationTimeout = continuationTimeout
        self.stripLineEnd = stripLineEnd
        self.minimumReportLength = layout.minimumReportLength
    }

    /// True while a scan waits for its next report.
    public var hasPartialScan: Bool { continuing }

    public var nextDeadline: Timestamp? {
        guard continuing, let lastReportAt else { return nil }
        return lastReportAt + continuationTimeout
    }

    /// Reads one input report (report id first, as libusb delivers it) that arrived at `time`.
    public mutating func feed<C: Collection>(report: C, at time: Timestamp) -> [ReaderFrame] where C.Element == UInt8 {
        var frames = flush(now: time)
        statistics.reports += 1
        let bytes = Array(report)
        if let id = layout.reportID, bytes.first != id {
            if bytes.isEmpty { statistics.malformedReports += 1 } else { statistics.ignoredReports += 1 }
            return frames
        }
        guard bytes.count >= minimumReportLength else {
            statistics.malformedReports += 1
            return frames
        }
        var data = bytes[layout.dataOffset..<(layout.dataOffset + layout.dataCapacity)]
        if let countOffset = layout.byteCountOffset {
            let count = Int(bytes[countOffset])
            guard count <= layout.dataCapacity else {
                statistics.malformedReports += 1
                return frames
            }
            data = data.prefix(count)
        } else {
            while data.last == 0 { data.removeLast() }
        }
        if !continuing { symbology = Self.symbology(in: bytes, at: layout.symbologyOffsets) }
        if !overlong {
            if pending.count + data.count > maximumScanLength {
                overlong = true
                pending = []
            } else {
                pending.append(contentsOf: data)
            }
        }
        let more = layout.continuedOffset.map { bytes[$0] & layout.continuedMask != 0 } ?? false
        if more {
            continuing = true
            lastReportAt = time
        } else {
            endScan(&frames)
        }
        return frames
    }

    /// Drops a scan whose next report is overdue.
    public mutating func flush(now: Timestamp) -> [ReaderFrame] {
        if let deadline = nextDeadline, now >= deadline { dropPartialScan() }
        return []
    }

    /// Forgets a scan in progress, as when the scanner is unplugged.
    public mutating func reset() {
        dropPartialScan()
    }

    private mutating func endScan(_ frames: inout [ReaderFrame]) {
        defer { clear() }
        if overlong {
            statistics.overlongScans += 1
            return
        }
        var data = pending
        if stripLineEnd {
            if data.last == 0x0A { data.removeLast() }
            if data.last == 0x0D { data.removeLast() }
        }
        guard !data.isEmpty else { return }
        statistics.scans += 1
        frames.append(.barcode(BarcodeScan(symbology: symbology, data: data)))
    }

    private mutating func dropPartialScan() {
        if overlong {
            statistics.overlongScans += 1
        } else if continuing {
            statistics.truncatedScans += 1
        }
        clear()
    }

    private mutating func clear() {
        pending = []
        symbology = nil
        continuing = false
        overlong = false
        lastReportAt = nil
    }

    /// The AIM identifier (`]E0`) from the symbology bytes; nil when the scanner sends zeros.
    static func symbology(in bytes: [UInt8], at offsets: [Int]) -> String? {
        let characters = offsets.map { bytes[$0] }.filter { $0 != 0 }
        guard !characters.isEmpty, characters.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: characters, as: UTF8.self)
    }
}
