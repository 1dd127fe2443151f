/// Limits and timings of the debouncer. Every bound here is a memory bound: nothing the readers
/// send can make the debouncer hold more than `maxPresent` tags and `ringCapacity` reads.
public struct DebouncerConfiguration: Hashable, Sendable {
    /// Tags (per read point) tracked at once. When full, the tag quiet for longest is evicted
    /// with a `departed` sighting marked `evicted`, and the eviction is counted.
    public var maxPresent: Int
    /// Distinct tags present at once, at all read points together (nil: `maxPresent`, which
    /// never runs out first; a larger value is taken as `maxPresent`). A tag heard at four read
    /// points takes four presences and one tag, so a site whose tags are heard at several read
    /// points sets it to about `maxPresent` over that number and saves 37 bytes a tag not
    /// reserved. When full, the tag of the least recently read presence is evicted at every read
    /// point (each presence counted and reported as `maxPresent`'s are).
    public var maxTags: Int?
    /// Reads kept for the sliding window statistics (RSSI mean, read rate); at most
    /// `Debouncer.maxRingCapacity` (65,535: a slot's window count is 16 bits) are kept, a larger
    /// value is taken as that. The configuration file refuses a larger value with its line.
    public var ringCapacity: Int
    /// How far back the sliding window reaches. Under a storm that fills the ring first, the
    /// window is shorter; the counters say so. A window longer than `longestWindow` is taken as
    /// that (the configuration file allows at most an hour).
    public var window: Duration
    /// The ring keeps its reads' times in 32 bits of milliseconds (see `ReadRing`): a window
    /// of half that range leaves every time exact. A window of days is already no sliding
    /// average of a tag in a field.
    public static let longestWindow = Duration.seconds(24 * 86_400)
    /// Silence after which a present tag has departed.
    public var departAfter: Duration
    /// Reads needed within `window` before a tag counts as arrived; 1 reports every first read,
    /// higher values ignore stray single reads from the edge of a field.
    public var arriveAfterReads: Int
    /// The same barcode at the same read point within this time is one scan (presentation-mode
    /// scanners re-read a code held under them). Zero reports every scan.
    public var scanHoldoff: Duration

    public init(maxPresent: Int = 65_536, maxTags: Int? = nil, ringCapacity: Int = 65_535, window: Duration = .seconds(2),
                departAfter: Duration = .seconds(10), arriveAfterReads: Int = 1, scanHoldoff: Duration = .zero) {
        self.maxPresent = maxPresent
        self.maxTags = maxTags
        self.ringCapacity = ringCapacity
        self.window = window
        self.departAfter = departAfter
        self.arriveAfterReads = arriveAfterReads
        self.scanHoldoff = scanHoldoff
    }

    /// Problems that make the configuration unusable, as sentences for the config validator.
    public var problems: [String] {
        var out: [String] = []
        if maxPresent < 1 { out.append("maxPresent must be at least 1") }
        if let maxTags, maxTags < 1 { out.append("maxTags must be at least 1") }
        if ringCapacity < 1 { out.append("ringCapacity must be at least 1") }
        if window <= .zero { out.append("window must be longer than 0") }
        if departAfter <= .zero { out.append("departAfter must be longer than 0") }
        if arriveAfterReads < 1 { out.append("arriveAfterReads must be at least 1") }
        if scanHoldoff < .zero { out.append("scanHoldoff cannot be negative") }
        return out
    }
}
