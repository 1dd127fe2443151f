import TagwayModel

/// The plan against one reader's capabilities: which antennas, which power table rows, whether
/// its vendor extensions apply. Decided on every connection, since a reader swapped behind the
/// same address may have fewer ports or another power table.
extension LLRPPlan {
    /// A plan this reader cannot carry out (an antenna it does not have, a mode it does not offer).
    public struct Mismatch: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// What to send this reader, and what the operator should know about the choices made.
    public struct ReaderSetup: Hashable, Sendable {
        public var roSpec: ROSpec
        public var configuration: ReaderConfiguration
        /// IMPINJ_ENABLE_EXTENSIONS goes before the configuration.
        public var enableImpinjExtensions: Bool
        public var notices: [String]
    }

    public static let impinjPEN: UInt32 = 25882

    public func setup(for reader: ReaderCapabilities) throws(Mismatch) -> ReaderSetup {
        var notices: [String] = []
        let ports = Int(reader.maxAntennas)
        let beyond = antennas.filter { $0 > ports }
        if !beyond.isEmpty {
            let names = beyond.map(String.init).joined(separator: ", ")
            throw Mismatch(description: "antenna \(names) configured, but the reader (\(ReaderModelNames.name(of: reader))) "
                + "has \(ports) antenna port\(ports == 1 ? "" : "s"); remove \(beyond.count == 1 ? "it" : "them") from the reader's antennas")
        }
        if let mode = readerMode, !reader.rfModes.isEmpty, !reader.rfModes.contains(UInt32(mode)) {
            let offered = reader.rfModes.map(String.init).joined(separator: ", ")
            throw Mismatch(description: "readerMode \(mode) is not one of the reader's modes (\(offered))")
        }
        // No antennas configured: all the reader has; a reader that says it has none gets
        // antenna 0, LLRP's "every antenna".
        let chosen = antennas.isEmpty ? (ports > 0 ? Array(1...ports) : [0]) : antennas
        var roSpecAntennas: [ROSpec.Antenna] = []
        for antenna in chosen {
            var index: UInt16?
            if let power = transmitPowerDBm[antenna] {
                let mapped = Self.powerIndex(for: power, in: reader.transmitPower)
                index = mapped.index
                if let notice = mapped.notice { notices.append("antenna \(antenna): \(notice)") }
            }
            roSpecAntennas.append(ROSpec.Antenna(id: UInt16(clamping: antenna), transmitPowerIndex: index))
        }
        let impinj = vendorExtensions && reader.manufacturer == Self.impinjPEN
        if vendorExtensions && !impinj {
            notices.append("vendorExtensions is on, but the reader is \(ReaderModelNames.name(of: reader)), not an Impinj: "
                + "plain LLRP is used" + (searchMode == nil ? "" : " and searchMode is ignored"))
        }
        let roSpec = ROSpec(id: rospecID, antennas: roSpecAntennas, modeIndex: readerMode, session: session,
                            reportEveryTags: reportEvery, impinjSearchMode: impinj ? searchMode : nil,
                            impinjPhaseAndRSSI: impinj)
        return ReaderSetup(roSpec: roSpec, configuration: readerConfiguration, enableImpinjExtensions: impinj, notices: notices)
    }

    /// Keepalives at the plan's period, the events the conversation acts on, and nothing held
    /// back for a later connection (the gateway reconfigures on every connection instead).
    public var readerConfiguration: ReaderConfiguration {
        let wanted: Set<ReaderConfiguration.EventType> = [.antenna, .readerException, .reportBufferFillWarning, .roSpec]
        var events: [ReaderConfiguration.EventType: Bool] = [:]
        for type in ReaderConfiguration.EventType.allCases { events[type] = wanted.contains(type) }
        let milliseconds = UInt32(clamping: keepalive.wholeMilliseconds)
        return ReaderConfiguration(keepaliveMilliseconds: milliseconds, events: events, holdEventsAndReportsUponReconnect: false)
    }

    /// The row of the reader's power table for `dBm`: the strongest not above it, so a site's
    /// limit is never exceeded; below every row, the weakest, with a notice saying so.
    public static func powerIndex(for dBm: Double, in table: [ReaderCapabilities.TransmitPowerLevel])
        -> (index: UInt16?, notice: String?)
    {
        guard let weakest = table.min(by: { $0.centiDBm < $1.centiDBm }) else {
            return (nil, "the reader has no transmit power table; \(format(dBm)) dBm not applied, the reader's default is used")
        }
        let asked = dBm * 100
        if let row = table.filter({ Double($0.centiDBm) <= asked }).max(by: { $0.centiDBm < $1.centiDBm }) {
            return (row.index, nil)
        }
        return (weakest.index, "\(format(dBm)) dBm is below the reader's lowest power; using \(format(Double(weakest.centiDBm) / 100)) dBm")
    }

    static func format(_ dBm: Double) -> String {
        let rounded = (dBm * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
