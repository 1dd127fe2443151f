/// Tuning of the movement engine: the mobility profile that decides when a tag seen at several
/// read points has moved, departure timing, and the memory bound.
///
/// The mobility profile follows EdgeX/Intel RSP's: a candidate read point takes a tag from its
/// current one when its mean RSSI beats the current one's by an offset. The offset starts at
/// `threshold` and, once the current zone has not read the tag for `holdoff`, falls by `slope`
/// per second, down to `floor`: a tag that really left is released quickly, while two
/// overlapping antennas that both keep reading it need a clear margin to swap (no flapping).
public struct MovementSettings: Sendable, Hashable {
    /// dB by which a candidate must beat the current read point's mean RSSI.
    public var threshold: Double
    /// How long the current zone may be silent before the threshold starts to fall.
    public var holdoff: Duration
    /// dB per second the threshold falls after the hold-off (negative).
    public var slopePerSecond: Double
    /// The lowest the threshold falls to (dB). EdgeX has none; without one, after a few seconds
    /// any stray read beats a quieter current zone.
    public var floor: Double
    /// Reads within the debouncer window a candidate needs before it can take a tag from another
    /// zone; a single reflected read does not move an asset.
    public var moveAfterReads: Int
    /// Silence (at every read point) after which an asset has departed its zone.
    public var departAfter: Duration
    /// Assets tracked at once; the least recently read is evicted (and counted) beyond this.
    public var maxAssets: Int

    public init(threshold: Double = 6, holdoff: Duration = .milliseconds(500), slopePerSecond: Double = -8,
                floor: Double = 0, moveAfterReads: Int = 2, departAfter: Duration = .seconds(10), maxAssets: Int = 65_536) {
        self.threshold = threshold
        self.holdoff = holdoff
        self.slopePerSecond = slopePerSecond
        self.floor = floor
        self.moveAfterReads = moveAfterReads
        self.departAfter = departAfter
        self.maxAssets = maxAssets
    }

    /// Problems that make the settings unusable, as sentences for the config validator.
    public var problems: [String] {
        var out: [String] = []
        if threshold < 0 { out.append("threshold cannot be negative") }
        if holdoff < .zero { out.append("holdoff cannot be negative") }
        if slopePerSecond > 0 { out.append("slope must be zero or negative (dB per second the threshold falls)") }
        if floor > threshold { out.append("floor cannot be above threshold") }
        if moveAfterReads < 1 { out.append("moveAfterReads must be at least 1") }
        if departAfter <= .zero { out.append("departAfter must be longer than 0") }
        if maxAssets < 1 { out.append("maxAssets must be at least 1") }
        return out
    }
}
