import TagwayModel

/// The result of comparing an expected list with the gateway's state, per zone.
///
/// Each expected row lands in exactly one category of the zone it is expected in: `found`,
/// `missing` or `misplaced`. Assets seen (within the freshness) that no row names are
/// `unexpected` in the zone they are in. `expectedElsewhere` lists, for the zone they are in, the
/// misplaced assets again, so whoever audits that room sees what to take back.
public struct AuditReport: Sendable, Hashable {
    public var time: Timestamp
    public var freshness: Duration
    /// The `zone` the audit was limited to (nil: every zone).
    public var zoneFilter: String?
    /// The expected list's name.
    public var source: String
    /// The log's newest seq the state reflects (nil: not known).
    public var lastSeq: Int64?
    /// By zone id.
    public var zones: [ZoneAudit]
    public var totals: AuditTotals

    public init(time: Timestamp, freshness: Duration, zoneFilter: String?, source: String, lastSeq: Int64?,
                zones: [ZoneAudit], totals: AuditTotals) {
        self.time = time
        self.freshness = freshness
        self.zoneFilter = zoneFilter
        self.source = source
        self.lastSeq = lastSeq
        self.zones = zones
        self.totals = totals
    }
}

public struct AuditTotals: Sendable, Hashable {
    public var expected = 0
    public var found = 0
    public var missing = 0
    public var misplaced = 0
    public var unexpected = 0
    /// Only per zone: assets here that the list expects in another zone.
    public var expectedElsewhere = 0

    public init() {}

    mutating func add(_ other: AuditTotals) {
        expected += other.expected
        found += other.found
        missing += other.missing
        misplaced += other.misplaced
        unexpected += other.unexpected
    }
}

public struct ZoneAudit: Sendable, Hashable {
    public var zone: String
    public var found: [AuditItem] = []
    public var missing: [AuditItem] = []
    public var misplaced: [AuditItem] = []
    public var unexpected: [AuditItem] = []
    public var expectedElsewhere: [AuditItem] = []

    public init(zone: String) { self.zone = zone }

    public var totals: AuditTotals {
        var t = AuditTotals()
        t.found = found.count
        t.missing = missing.count
        t.misplaced = misplaced.count
        t.expected = t.found + t.missing + t.misplaced
        t.unexpected = unexpected.count
        t.expectedElsewhere = expectedElsewhere.count
        return t
    }
}

/// One asset in a report; which fields are set depends on the category.
public struct AuditItem: Sendable, Hashable {
    /// The list's value (asset key or tag) and its line; nil for `unexpected`.
    public var expected: String?
    public var line: Int?
    /// The gateway's key of the asset; nil when the gateway does not know it (`missing`).
    public var key: String?
    /// The zone it is in now (for `missing`: where it was last seen, if known).
    public var zone: String?
    /// For `expectedElsewhere`: the zone the list expects it in.
    public var expectedZone: String?
    /// When it entered `zone`.
    public var since: Timestamp?
    /// When it was last read anywhere.
    public var lastSeen: Timestamp?
    /// The read point holding it.
    public var readPoint: String?

    public init(expected: String? = nil, line: Int? = nil, key: String? = nil, zone: String? = nil, expectedZone: String? = nil,
                since: Timestamp? = nil, lastSeen: Timestamp? = nil, readPoint: String? = nil) {
        self.expected = expected
        self.line = line
        self.key = key
        self.zone = zone
        self.expectedZone = expectedZone
        self.since = since
        self.lastSeen = lastSeen
        self.readPoint = readPoint
    }
}
