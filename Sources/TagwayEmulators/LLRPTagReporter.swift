import TagwayLLRP
import TagwayModel

/// One inventory round of an emulated LLRP reader: the TagReportData its ROSpec's antennas give
/// for the tags in the field, with only the fields the ROSpec's content selector asked for.
///
/// A tag read in the previous round too was read all along in between, so its first-seen time is
/// one inventory round after the previous report and its seen count is the rounds since: a
/// client that sums seen counts and orders by timestamps sees what a continuous inventory gives.
struct LLRPTagReporter: Sendable {
    private struct Pair: Hashable, Sendable {
        var tag: TagID
        var antenna: UInt16
    }

    /// When each (tag, antenna) pair was last reported; pairs out of the field are forgotten.
    private var lastReported: [Pair: Timestamp] = [:]

    /// The reports of one round at `now`. `clock` turns a gateway time into the reader's.
    mutating func round(field: [FieldTag], spec: ROSpec, connected: Set<UInt16>, maxAntennas: UInt16, now: Timestamp,
                        inventoryRound: Duration, impinjExtensions: Bool,
                        clock: (Timestamp) -> LLRPTimestamp) -> [TagReport] {
        let antennas = Self.antennas(of: spec, maxAntennas: maxAntennas).intersection(connected)
        var reported: [Pair: Timestamp] = [:]
        var reports: [TagReport] = []
        for tag in field {
            guard let antenna = UInt16(exactly: tag.antenna), antennas.contains(antenna) else { continue }
            let pair = Pair(tag: tag.id, antenna: antenna)
            guard reported[pair] == nil else { continue }
            var first = now
            if let previous = lastReported[pair] { first = min(now, previous + inventoryRound) }
            reported[pair] = now
            let rounds = max(1, inventoryRound.wholeMilliseconds)
            let count = 1 + (now - first).wholeMilliseconds / rounds
            reports.append(report(tag, antenna: antenna, spec: spec, first: clock(first), last: clock(now),
                                  seenCount: UInt16(clamping: count), impinjExtensions: impinjExtensions))
        }
        lastReported = reported
        return reports
    }

    /// Forgets what was reported: a new connection or a restarted ROSpec starts counting afresh.
    mutating func reset() { lastReported = [:] }

    /// The antenna ids an ROSpec runs on; id 0 stands for every antenna of the reader.
    static func antennas(of spec: ROSpec, maxAntennas: UInt16) -> Set<UInt16> {
        if spec.antennas.contains(where: { $0.id == 0 }) { return Set(1...max(1, maxAntennas)) }
        return Set(spec.antennas.map(\.id))
    }

    private func report(_ tag: FieldTag, antenna: UInt16, spec: ROSpec, first: LLRPTimestamp, last: LLRPTimestamp,
                        seenCount: UInt16, impinjExtensions: Bool) -> TagReport {
        let epc = tag.id.bytes
        let content = spec.content
        var report = TagReport(epc: epc)
        if content.contains(.pcBits) {
            report.pc = tag.pc ?? UInt16(truncatingIfNeeded: (epc.count + 1) / 2) << 11
        }
        if content.contains(.antennaID) { report.antennaID = antenna }
        if content.contains(.peakRSSI) { report.peakRSSI = Int8(clamping: tag.rssi) }
        if content.contains(.firstSeenTimestamp) { report.firstSeen = first }
        if content.contains(.lastSeenTimestamp) { report.lastSeen = last }
        if content.contains(.tagSeenCount) { report.seenCount = seenCount }
        if content.contains(.roSpecID) { report.roSpecID = spec.id }
        let spread = Self.spread(epc, antenna)
        if content.contains(.channelIndex) { report.channelIndex = UInt16(1 + spread % 50) }
        if impinjExtensions, spec.impinjPhaseAndRSSI {
            report.impinjPhaseAngle = UInt16(spread % 4096)
            report.impinjPeakRSSI = Int16(Int(Int8(clamping: tag.rssi)) * 100)
        }
        return report
    }

    /// A stable number from the tag and antenna (FNV-1a), so a channel and a phase look like a
    /// reader's and stay the same from run to run.
    private static func spread(_ epc: [UInt8], _ antenna: UInt16) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in epc + [UInt8(truncatingIfNeeded: antenna)] {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }
}
