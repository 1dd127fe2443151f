/// READER_EVENT_NOTIFICATION's ReaderEventNotificationData: the events Tagway acts on.
public struct ReaderEventNotification: Hashable, Sendable {
    /// ConnectionAttemptEvent status (1.0.1 §13.2.6.13).
    public enum ConnectionAttempt: UInt16, Hashable, Sendable {
        case success = 0
        case readerInitiatedConnectionExists = 1
        case clientInitiatedConnectionExists = 2
        case failedOtherReason = 3
        case anotherConnectionAttempted = 4
    }

    public struct AntennaEvent: Hashable, Sendable {
        public var antennaID: UInt16
        public var connected: Bool
        public init(antennaID: UInt16, connected: Bool) {
            self.antennaID = antennaID
            self.connected = connected
        }
    }

    public var timestamp: LLRPTimestamp
    public var connectionAttempt: ConnectionAttempt?
    public var antennaEvents: [AntennaEvent]
    /// ConnectionCloseEvent: the reader is closing the connection.
    public var connectionClosed: Bool
    /// ReaderExceptionEvent's message.
    public var readerException: String?
    /// ReportBufferLevelWarningEvent's fill percentage.
    public var reportBufferFill: UInt8?
    /// ReportBufferOverflowErrorEvent: the reader dropped reports.
    public var reportBufferOverflow: Bool

    public init(timestamp: LLRPTimestamp, connectionAttempt: ConnectionAttempt? = nil, antennaEvents: [AntennaEvent] = [],
                connectionClosed: Bool = false, readerException: String? = nil, reportBufferFill: UInt8? = nil,
                reportBufferOverflow: Bool = false) {
        self.timestamp = timestamp
        self.connectionAttempt = connectionAttempt
        self.antennaEvents = antennaEvents
        self.connectionClosed = connectionClosed
        self.readerException = readerException
        self.reportBufferFill = reportBufferFill
        self.reportBufferOverflow = reportBufferOverflow
    }
}

/// GET_READER_CAPABILITIES_RESPONSE, the parts Tagway uses.
public struct ReaderCapabilities: Hashable, Sendable {
    /// One row of the UHF band's TransmitPowerLevelTable: the index ROSpecs name, in dBm × 100.
    public struct TransmitPowerLevel: Hashable, Sendable {
        public var index: UInt16
        public var centiDBm: Int16
        public init(index: UInt16, centiDBm: Int16) {
            self.index = index
            self.centiDBm = centiDBm
        }
    }

    /// GeneralDeviceCapabilities.
    public var maxAntennas: UInt16
    public var hasUTCClock: Bool
    /// IANA private enterprise number (Impinj 25882, Zebra/Motorola 161).
    public var manufacturer: UInt32
    public var model: UInt32
    public var firmware: String
    /// RegulatoryCapabilities → UHFBandCapabilities → TransmitPowerLevelTableEntry.
    public var transmitPower: [TransmitPowerLevel]
    /// C1G2 UHFRFModeTable mode identifiers the reader offers (for `readerMode`).
    public var rfModes: [UInt32]
    /// LLRPCapabilities.
    public var canReportBufferFillWarning: Bool
    public var supportsEventAndReportHolding: Bool
    public var maxROSpecs: UInt32

    public init(maxAntennas: UInt16, hasUTCClock: Bool, manufacturer: UInt32, model: UInt32, firmware: String,
                transmitPower: [TransmitPowerLevel], rfModes: [UInt32] = [], canReportBufferFillWarning: Bool = false,
                supportsEventAndReportHolding: Bool = false, maxROSpecs: UInt32 = 1) {
        self.maxAntennas = maxAntennas
        self.hasUTCClock = hasUTCClock
        self.manufacturer = manufacturer
        self.model = model
        self.firmware = firmware
        self.transmitPower = transmitPower
        self.rfModes = rfModes
        self.canReportBufferFillWarning = canReportBufferFillWarning
        self.supportsEventAndReportHolding = supportsEventAndReportHolding
        self.maxROSpecs = maxROSpecs
    }
}

/// One TagReportData of an RO_ACCESS_REPORT. Every field but the EPC is optional: a reader sends
/// what the ROReportSpec's content selector asked for.
public struct TagReport: Hashable, Sendable {
    /// The EPC bank's EPC (EPC-96 or EPCData, whole bytes).
    public var epc: [UInt8]
    public var pc: UInt16?
    public var antennaID: UInt16?
    public var peakRSSI: Int8?
    public var channelIndex: UInt16?
    public var firstSeen: LLRPTimestamp?
    public var lastSeen: LLRPTimestamp?
    public var seenCount: UInt16?
    public var roSpecID: UInt32?
    /// Impinj extensions: ImpinjRFPhaseAngle (0…4095 for 0…2π) and ImpinjPeakRSSI (dBm × 100).
    public var impinjPhaseAngle: UInt16?
    public var impinjPeakRSSI: Int16?

    public init(epc: [UInt8], pc: UInt16? = nil, antennaID: UInt16? = nil, peakRSSI: Int8? = nil, channelIndex: UInt16? = nil,
                firstSeen: LLRPTimestamp? = nil, lastSeen: LLRPTimestamp? = nil, seenCount: UInt16? = nil,
                roSpecID: UInt32? = nil, impinjPhaseAngle: UInt16? = nil, impinjPeakRSSI: Int16? = nil) {
        self.epc = epc
        self.pc = pc
        self.antennaID = antennaID
        self.peakRSSI = peakRSSI
        self.channelIndex = channelIndex
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.seenCount = seenCount
        self.roSpecID = roSpecID
        self.impinjPhaseAngle = impinjPhaseAngle
        self.impinjPeakRSSI = impinjPeakRSSI
    }
}
