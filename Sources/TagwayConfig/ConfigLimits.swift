/// The bounds on what a configuration file may hold.
///
/// A config is edited by hand at a dock door and may come from anywhere; every value that
/// reaches an allocation, a loop or a deadline has a ceiling here, so a typo (or an attack) is a
/// located error in `check-config` instead of a crash, a hang or a gateway that eats the box's
/// memory. The bounds are far above any sane setting and far below what overflows: the longest
/// duration (100 years of retention, 3.2e12 ms) added to any wall-clock timestamp stays well inside Int64.
public enum ConfigLimits {
    /// Bytes in a configuration or profile file; checked with `stat` before anything is read.
    public static let maxFileBytes = 1 << 20
    /// Mappings and lists inside each other. Real configs nest 4 deep.
    public static let maxDepth = 32
    /// YAML nodes in a document once aliases are expanded (billion laughs stops here).
    public static let maxExpandedNodes = 100_000
    /// Aliases (`*name`) in a document.
    public static let maxAliases = 1_000
    /// Characters in any one scalar (a regular expression, a URL, a note).
    public static let maxScalarLength = 65_536
    /// Characters in an id (reader, zone, rule, sink, read point): ids appear in every event.
    public static let maxIDLength = 256
    /// Characters in a path, a URL, a host or a topic.
    public static let maxTextLength = 4_096

    /// Entries in `readers:`.
    public static let maxReaders = 256
    /// Entries in `zones:`.
    public static let maxZones = 4_096
    /// Entries in `sinks:`.
    public static let maxSinks = 64
    /// Read points or aliases listed in one zone or door side, and zones named by one rule.
    public static let maxNamesPerList = 1_024
    /// Entries in a flat settings map, in `antennas:`, in EPCIS zones, in Snipe-IT locations.
    public static let maxEntriesPerMap = 4_096
    /// GS1 company prefixes in `identity:`.
    public static let maxCompanyPrefixes = 10_000

    /// The ceiling of each duration setting, and how it is said in an error.
    public struct DurationBound: Sendable {
        public var max: Duration
        public var text: String
        /// Whether zero is allowed (a hold-off of 0 turns it off; a departure after 0 is nonsense).
        public var allowsZero: Bool
        /// The floor, when there is one above zero, and how it is said.
        public var min: (Duration, String)?

        init(max: Duration, text: String, allowsZero: Bool = true, min: (Duration, String)? = nil) {
            self.max = max
            self.text = text
            self.allowsZero = allowsZero && min == nil
            self.min = min
        }
    }

    public static let departAfter = DurationBound(max: .seconds(30 * 86_400), text: "30d", allowsZero: false)
    public static let window = DurationBound(max: .seconds(3_600), text: "1h", allowsZero: false)
    public static let holdoff = DurationBound(max: .seconds(86_400), text: "24h")
    public static let linger = DurationBound(max: .seconds(3_600), text: "1h")
    public static let retry = DurationBound(max: .seconds(86_400), text: "24h")
    public static let timeout = DurationBound(max: .seconds(600), text: "10m", allowsZero: false)
    /// MQTT carries the keep-alive in a 16-bit count of seconds.
    public static let keepAlive = DurationBound(max: .seconds(65_535), text: "65535s", allowsZero: false)
    /// How long a stop keeps retrying held events: systemd's stop timeout (90 s) must not cut it short.
    public static let stopTimeout = DurationBound(max: .seconds(60), text: "60s")
    /// How often the asset rows of assets read without a movement are written: the most a
    /// SIGKILL loses of their last-read times. Below 100 ms the writes would crowd the events.
    public static let stateInterval = DurationBound(max: .seconds(60), text: "60s", min: (.milliseconds(100), "100ms"))
    /// How long a required reader may be unconnected before `/readyz` says not ready.
    public static let readyGrace = DurationBound(max: .seconds(3_600), text: "1h")
    /// How long the start may spend checking the log's integrity (a large log on an SD card is slow).
    public static let startCheck = DurationBound(max: .seconds(600), text: "10m")
    /// Events held in memory while the log refuses writes (a full disk), before reads are dropped.
    /// JetStream's `Nats-Msg-Id` de-duplication window: the server keeps every id of the window in memory.
    public static let duplicateWindow = DurationBound(max: .seconds(7 * 86_400), text: "7d", allowsZero: false)
    public static let heldEvents: ClosedRange<Int> = 1...1_000_000
    /// Concurrent SSE streams of the pull API.
    public static let apiStreams: ClosedRange<Int> = 1...4_096
    /// How recent a read must be for an audit to count an asset as seen.
    public static let auditFreshness = DurationBound(max: .seconds(366 * 86_400), text: "366d", allowsZero: false)
    /// Rows of an expected list (`audit.maxRows`).
    public static let auditRows: ClosedRange<Int> = 1...10_000_000
    /// Bytes of an expected list posted to the pull API (`audit.maxUploadBytes`).
    public static let auditUploadBytes: ClosedRange<Int> = 1_024...(1 << 30)
    public static let retentionAge = DurationBound(max: .seconds(36_500 * 86_400), text: "36500d", allowsZero: false)

    /// Movement engine dB settings (threshold, floor) and the slope in dB per second.
    public static let decibels: ClosedRange<Double> = -200...200
}
