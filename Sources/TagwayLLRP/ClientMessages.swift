/// SET_READER_CONFIG as Tagway sends it: keepalives, the events it acts on, and (optionally) a
/// reset to factory defaults so a reconnect starts from a known reader.
public struct ReaderConfiguration: Hashable, Sendable {
    /// ReaderEventNotificationSpec event types (1.0.1 §13.2.6.1).
    public enum EventType: UInt16, Hashable, Sendable, CaseIterable {
        case hopping = 0, gpi = 1, roSpec = 2, reportBufferFillWarning = 3, readerException = 4, rfSurvey = 5,
             aiSpec = 6, aiSpecWithDetails = 7, antenna = 8
    }

    public var resetToFactoryDefault: Bool
    /// KeepaliveSpec periodic trigger, in milliseconds; nil sends no KeepaliveSpec, 0 disables.
    public var keepaliveMilliseconds: UInt32?
    /// EventNotificationState entries.
    public var events: [EventType: Bool]
    /// EventsAndReports HoldEventsAndReportsUponReconnect.
    public var holdEventsAndReportsUponReconnect: Bool?

    public init(resetToFactoryDefault: Bool = false, keepaliveMilliseconds: UInt32? = nil, events: [EventType: Bool] = [:],
                holdEventsAndReportsUponReconnect: Bool? = nil) {
        self.resetToFactoryDefault = resetToFactoryDefault
        self.keepaliveMilliseconds = keepaliveMilliseconds
        self.events = events
        self.holdEventsAndReportsUponReconnect = holdEventsAndReportsUponReconnect
    }
}

/// The one ROSpec Tagway adds: a continuous Gen2 inventory on the configured antennas (start
/// and stop triggers Null: it runs from START_ROSPEC until stopped), reporting every `reportEveryTags`
/// tags or at the end of each AISpec round.
public struct ROSpec: Hashable, Sendable {
    public struct Antenna: Hashable, Sendable {
        public var id: UInt16
        /// A row of the reader's TransmitPowerLevelTable; nil leaves the reader's default.
        public var transmitPowerIndex: UInt16?
        public init(id: UInt16, transmitPowerIndex: UInt16? = nil) {
            self.id = id
            self.transmitPowerIndex = transmitPowerIndex
        }
    }

    /// TagReportContentSelector's switches.
    public struct ReportContent: OptionSet, Hashable, Sendable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let roSpecID = Self(rawValue: 1 << 0)
        public static let specIndex = Self(rawValue: 1 << 1)
        public static let inventoryParameterSpecID = Self(rawValue: 1 << 2)
        public static let antennaID = Self(rawValue: 1 << 3)
        public static let channelIndex = Self(rawValue: 1 << 4)
        public static let peakRSSI = Self(rawValue: 1 << 5)
        public static let firstSeenTimestamp = Self(rawValue: 1 << 6)
        public static let lastSeenTimestamp = Self(rawValue: 1 << 7)
        public static let tagSeenCount = Self(rawValue: 1 << 8)
        public static let accessSpecID = Self(rawValue: 1 << 9)
        /// C1G2EPCMemorySelector.
        public static let crc = Self(rawValue: 1 << 10)
        public static let pcBits = Self(rawValue: 1 << 11)
        /// What Tagway needs: EPC, antenna, peak RSSI, first/last seen, seen count, PC.
        public static let tagway: Self = [.antennaID, .peakRSSI, .firstSeenTimestamp, .lastSeenTimestamp, .tagSeenCount, .pcBits]
    }

    public var id: UInt32
    public var priority: UInt8
    public var antennas: [Antenna]
    /// C1G2RFControl ModeIndex (the reader mode); nil sends no C1G2RFControl.
    public var modeIndex: UInt16?
    /// C1G2SingulationControl Session (0–3); nil sends no C1G2SingulationControl.
    public var session: UInt8?
    public var tagPopulation: UInt16
    /// ROReportSpec: report upon N tags or the end of the AISpec (N = 0: at the end only).
    public var reportEveryTags: UInt16
    public var content: ReportContent
    /// Impinj extensions: ImpinjInventorySearchMode (1 single target, 2 dual target, …) and an
    /// ImpinjTagReportContentSelector asking for phase angle and high-resolution peak RSSI.
    public var impinjSearchMode: UInt16?
    public var impinjPhaseAndRSSI: Bool

    public init(id: UInt32, priority: UInt8 = 0, antennas: [Antenna], modeIndex: UInt16? = nil, session: UInt8? = nil,
                tagPopulation: UInt16 = 32, reportEveryTags: UInt16 = 1, content: ReportContent = .tagway,
                impinjSearchMode: UInt16? = nil, impinjPhaseAndRSSI: Bool = false) {
        self.id = id
        self.priority = priority
        self.antennas = antennas
        self.modeIndex = modeIndex
        self.session = session
        self.tagPopulation = tagPopulation
        self.reportEveryTags = reportEveryTags
        self.content = content
        self.impinjSearchMode = impinjSearchMode
        self.impinjPhaseAndRSSI = impinjPhaseAndRSSI
    }
}
