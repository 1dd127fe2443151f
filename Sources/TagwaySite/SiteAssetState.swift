import TagwayModel

/// What the site knows of one asset: the row of the site's key-value bucket (asset key → place).
public struct SiteAssetState: Hashable, Sendable {
    public var asset: AssetRef
    public var location: SiteLocation
    /// When it entered `location` (its site `arrived` or `moved`).
    public var since: Timestamp
    /// The time of the latest gateway event about it.
    public var lastSeen: Timestamp
    /// The id of the latest gateway event applied to it.
    public var lastEventID: String
    /// Its gateway reported it departed, at this time, by this event: it is gone from the site
    /// unless another gateway reports it within the handover window.
    public var departure: PendingDeparture?
    /// Bit r: site rule r's alert episode is open (alerted once until it ends).
    public var episodes: UInt64 = 0

    public struct PendingDeparture: Hashable, Sendable {
        public var time: Timestamp
        public var eventID: String

        public init(time: Timestamp, eventID: String) {
            self.time = time
            self.eventID = eventID
        }
    }

    public init(asset: AssetRef, location: SiteLocation, since: Timestamp, lastSeen: Timestamp, lastEventID: String,
                departure: PendingDeparture? = nil, episodes: UInt64 = 0) {
        self.asset = asset
        self.location = location
        self.since = since
        self.lastSeen = lastSeen
        self.lastEventID = lastEventID
        self.departure = departure
        self.episodes = episodes
    }
}
