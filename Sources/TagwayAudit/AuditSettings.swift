/// What an audit needs from the gateway's configuration: which zones exist (an expected list
/// naming any other is refused), how a Snipe-IT `Location` maps to a zone, and how recent a read
/// must be for an asset to count as seen.
public struct AuditSettings: Sendable, Hashable {
    /// Zone ids the gateway reports (configured zones, and read points no zone lists).
    public var zones: [String]
    /// Other names of zones (`aliases:`), so a list may use them; maps alias to zone id.
    public var aliases: [String: String]
    /// `audit.locations`: an asset store's location name to a zone id.
    public var locations: [String: String]
    /// An asset read longer ago than this is not "seen" (missing, not found).
    public var freshness: Duration
    /// Rows an expected list may have; one more is refused (memory stays bounded).
    public var maxRows: Int
    /// Bytes of an expected list the pull API accepts (413 beyond).
    public var maxUploadBytes: Int
    /// False when no configuration is known (`tagway audit --data-dir` alone): any zone name is
    /// taken as written, since there is nothing to check it against.
    public var checksZones = true
    /// Whether the running gateway logs an `audit` event for each audit made through the API.
    public var logEvents: Bool

    public static let defaultFreshness: Duration = .seconds(86_400)
    public static let defaultMaxRows = 1_000_000
    public static let defaultMaxUploadBytes = 64 << 20

    public init(zones: [String] = [], aliases: [String: String] = [:], locations: [String: String] = [:],
                freshness: Duration = AuditSettings.defaultFreshness, maxRows: Int = AuditSettings.defaultMaxRows,
                maxUploadBytes: Int = AuditSettings.defaultMaxUploadBytes, logEvents: Bool = false, checksZones: Bool = true) {
        self.zones = zones
        self.aliases = aliases
        self.locations = locations
        self.freshness = freshness
        self.maxRows = maxRows
        self.maxUploadBytes = maxUploadBytes
        self.logEvents = logEvents
        self.checksZones = checksZones
    }

    /// The zone id a list (or a `--zone` option) means by `name`: the id itself or an alias.
    public func zoneID(_ name: String) -> String? {
        if !checksZones || zones.contains(name) { return name }
        return aliases[name]
    }
}
