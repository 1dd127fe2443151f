import TagwayModel

/// A geofence rule (DESIGN §3 `rules:`): which assets it covers, where they may and may not be,
/// and which door crossings raise an alert.
public struct GeofenceRule: Sendable, Hashable {
    /// What a door crossing is, for `alertOn`.
    public enum Trigger: String, Sendable, Hashable, CaseIterable {
        case passedOut = "passed-out"
        case passedIn = "passed-in"
    }

    public var id: String
    public var match: AssetMatch
    /// Zone ids or aliases; empty means "anywhere" (only `forbiddenZones` and `alertOn` apply).
    public var allowedZones: [String]
    public var forbiddenZones: [String]
    /// Crossings that alert when the door is not one of `allowedZones`.
    public var alertOn: [Trigger]

    public init(id: String, match: AssetMatch, allowedZones: [String] = [], forbiddenZones: [String] = [],
                alertOn: [Trigger] = []) {
        self.id = id
        self.match = match
        self.allowedZones = allowedZones
        self.forbiddenZones = forbiddenZones
        self.alertOn = alertOn
    }
}

/// Which assets a rule covers. Every condition given must hold (they are ANDed); a match with no
/// condition covers every asset.
public struct AssetMatch: Sendable, Hashable {
    /// The asset key starts with this (`urn:epc:id:giai:0614141.`).
    public var keyPrefix: String?
    /// The asset's scheme: an EPC family (`giai`, `sgtin` …), `gs1`, `barcode`, `em4100` …
    public var scheme: String?
    /// The GS1 company prefix of an EPC key (`0614141`), as `GS1CompanyPrefix` finds it: keys of
    /// other schemes (GID, raw EPCs, barcodes) never match one.
    public var companyPrefix: String?
    /// A regular expression searched in the key and in the raw code (anchor it with ^…$).
    public var pattern: Pattern?

    public init(keyPrefix: String? = nil, scheme: String? = nil, companyPrefix: String? = nil, pattern: Pattern? = nil) {
        self.keyPrefix = keyPrefix
        self.scheme = scheme
        self.companyPrefix = companyPrefix
        self.pattern = pattern
    }

    public func matches(_ asset: AssetRef) -> Bool {
        if let keyPrefix, !asset.key.hasPrefix(keyPrefix) { return false }
        if let scheme, asset.scheme != scheme { return false }
        if let companyPrefix, GS1CompanyPrefix.of(epcURI: asset.key) != companyPrefix { return false }
        if let pattern, !pattern.matches(asset.key), !pattern.matches(asset.raw) { return false }
        return true
    }
}

/// A compiled regular expression with its source text (kept for equality and messages).
///
/// `Regex` values are immutable once built, so sharing one between tasks is safe even though
/// the type-erased output does not declare `Sendable`.
public struct Pattern: @unchecked Sendable, Hashable {
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Nil when `source` is not a valid regular expression; `error` says why.
    public init(_ source: String) throws {
        self.source = source
        regex = try Regex(source)
    }

    public func matches(_ text: String) -> Bool { (try? regex.firstMatch(in: text)) != nil }

    public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
