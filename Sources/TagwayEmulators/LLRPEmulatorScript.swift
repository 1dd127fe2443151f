import TagwayLLRP
import TagwayModel

/// What an emulated LLRP reader is and how it misbehaves: the identity it reports, its clock, its
/// antennas over time, and the faults a client must survive. A value, so a test states the whole
/// reader in one place and two runs of the same script say the same bytes.
public struct LLRPEmulatorScript: Sendable, Hashable {
    /// A scheduled change of an antenna's cable, counted from the moment a client connected.
    public struct AntennaChange: Sendable, Hashable {
        public var after: Duration
        public var antennaID: UInt16
        public var connected: Bool
        public init(after: Duration, antennaID: UInt16, connected: Bool) {
            self.after = after
            self.antennaID = antennaID
            self.connected = connected
        }
    }

    /// The misbehaviour a client must survive. Each applies to the connections `faultyConnections`
    /// selects, so a test can fail the first connection and see the client recover on the next.
    public struct Faults: Sendable, Hashable {
        /// Answer the connection with a failed ConnectionAttemptEvent, as a reader held by another
        /// client does, and close it.
        public var busy: Bool
        /// Answer ADD_ROSPEC with this status instead of accepting it.
        public var rejectAddROSpec: LLRPStatus?
        /// Close the connection (no word, as a cable pulled) once this many RO_ACCESS_REPORTs were sent.
        public var dropAfterReports: Int?
        /// Close the connection this long after it was accepted.
        public var dropAfter: Duration?
        /// After this many reports, send the first half of the next one and then nothing at all.
        public var stallAfterReports: Int?
        /// This long after the connection was accepted the reader stops sending anything (no
        /// keepalives, no reports, no answers), leaving the connection open.
        public var silentAfter: Duration?
        /// Reports per `unsolicited` call whatever the tick, every tag in the field in each: the
        /// shell calls as fast as the socket takes them.
        public var floodReportsPerCall: Int?

        public init(busy: Bool = false, rejectAddROSpec: LLRPStatus? = nil, dropAfterReports: Int? = nil,
                    dropAfter: Duration? = nil, stallAfterReports: Int? = nil, silentAfter: Duration? = nil,
                    floodReportsPerCall: Int? = nil) {
            self.busy = busy
            self.rejectAddROSpec = rejectAddROSpec
            self.dropAfterReports = dropAfterReports
            self.dropAfter = dropAfter
            self.stallAfterReports = stallAfterReports
            self.silentAfter = silentAfter
            self.floodReportsPerCall = floodReportsPerCall
        }

        public static let none = Faults()
    }

    /// What GET_READER_CAPABILITIES answers; `maxAntennas` is how many ports the reader has.
    public var capabilities: ReaderCapabilities
    /// Reader clock minus true time: a reader whose NTP is broken.
    public var clockOffset: Duration
    /// Antenna ports with a cable at power-on (nil: all of them).
    public var connectedAntennas: Set<UInt16>?
    public var antennaChanges: [AntennaChange]
    public var faults: Faults
    /// How many connections, counted from the first, suffer `faults`; nil: every one.
    public var faultyConnections: Int?
    /// Time between two reads of a tag by one antenna (an inventory round): what a report's seen
    /// count is derived from.
    public var inventoryRound: Duration

    public init(capabilities: ReaderCapabilities = LLRPEmulatorScript.impinjR700, clockOffset: Duration = .zero,
                connectedAntennas: Set<UInt16>? = nil, antennaChanges: [AntennaChange] = [], faults: Faults = .none,
                faultyConnections: Int? = nil, inventoryRound: Duration = .milliseconds(25)) {
        self.capabilities = capabilities
        self.clockOffset = clockOffset
        self.connectedAntennas = connectedAntennas
        self.antennaChanges = antennaChanges.sorted { $0.after < $1.after }
        self.faults = faults
        self.faultyConnections = faultyConnections
        self.inventoryRound = inventoryRound
    }

    /// An Impinj R700 as it answers: four ports, a UTC clock, 10.00 to 33.00 dBm in quarter-dB
    /// steps (table indices 1…93), firmware 8.x. The model number is the emulator's own.
    public static let impinjR700 = ReaderCapabilities(
        maxAntennas: 4, hasUTCClock: true, manufacturer: impinjPEN, model: 2_001_052, firmware: "8.4.1.240",
        transmitPower: (0..<93).map { .init(index: UInt16($0 + 1), centiDBm: Int16(1000 + $0 * 25)) },
        rfModes: [0, 1, 2, 3, 4, 1002, 1003, 1004], canReportBufferFillWarning: true,
        supportsEventAndReportHolding: true, maxROSpecs: 1)

    /// Impinj's IANA private enterprise number: the vendor of its custom messages and parameters.
    public static let impinjPEN: UInt32 = 25882
}
