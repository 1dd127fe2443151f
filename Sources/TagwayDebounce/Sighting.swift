import TagwayModel

/// What the debouncer reports: presence changes, not reads.
public struct Sighting: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// The tag is now present at the read point (its first confirmed read).
        case arrived
        /// The tag has not been read at the read point for `departAfter`, or was evicted.
        case departed
        /// A one-shot scan (barcode): no presence, no departure.
        case observed
    }

    public var kind: Kind
    public var readPoint: Int32
    public var tag: TagID
    /// When it happened: first confirmed read for `arrived`, `lastSeen + departAfter` for
    /// `departed` (so replaying a stream gives the same times whenever the check ran), the scan
    /// time for `observed`.
    public var time: Timestamp
    /// The presence's first read; nil from a debouncer that keeps no totals (see
    /// `Debouncer.init(configuration:keepsTotals:)`), as are `reads` and `peakRSSI`.
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp
    /// Reads of this tag at this read point since it arrived.
    public var reads: Int?
    /// Strongest RSSI seen, in dBm, when the reader reports RSSI.
    public var peakRSSI: Int?
    /// True when the tag was pushed out because the presence table was full, not because it went quiet.
    public var evicted: Bool
    /// The reader of the tag's latest read at this read point (an index its driver interned, see
    /// `Read.reader`; `Read.noReader` without totals), and what kind of tag it is: two readers
    /// may share a read point.
    public var reader: UInt16
    public var technology: TagObservation.Technology

    public init(kind: Kind, readPoint: Int32, tag: TagID, time: Timestamp, firstSeen: Timestamp?,
                lastSeen: Timestamp, reads: Int?, peakRSSI: Int?, evicted: Bool = false, reader: UInt16 = Read.noReader,
                technology: TagObservation.Technology = .epcGen2) {
        self.kind = kind
        self.reader = reader
        self.technology = technology
        self.readPoint = readPoint
        self.tag = tag
        self.time = time
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.reads = reads
        self.peakRSSI = peakRSSI
        self.evicted = evicted
    }
}

/// One read as the debouncer needs it: where, what, when, how strong, and who read it.
public struct Read: Hashable, Sendable {
    /// No reader named (a driver that interns none, e.g. a benchmark or a test).
    public static let noReader = UInt16.max

    public var readPoint: Int32
    /// The reader, as an index its driver interned (`MovementEngine.reader(named:)`): carried
    /// with the tag so events name the reader that read it, even when readers share a read point,
    /// and kept as two bytes (with `technology`, one) so the per-read state holds no String.
    public var reader: UInt16
    /// What kind of tag it is: the asset key depends on it (an EM4100 card and a Gen2 EPC with
    /// the same bytes are different assets).
    public var technology: TagObservation.Technology
    public var tag: TagID
    public var time: Timestamp
    public var rssi: Int?

    public init(readPoint: Int32, tag: TagID, time: Timestamp, rssi: Int? = nil, reader: UInt16 = Read.noReader,
                technology: TagObservation.Technology = .epcGen2) {
        self.readPoint = readPoint
        self.reader = reader
        self.technology = technology
        self.tag = tag
        self.time = time
        self.rssi = rssi
    }
}
