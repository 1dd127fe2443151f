import TagwayModel

/// One movement as the site sees it: an asset's place across all of a site's gateways.
///
/// `causes` are the ids of the gateway events that made it (a cross-gateway move has two: the
/// departure and the arrival); the event's own `id` is derived from them (`SiteEventID`), so a
/// site process that takes over and applies the same gateway events again makes the same ids,
/// and a stream's de-duplication or the asset store drops the repeats.
public struct SiteEvent: Hashable, Sendable {
    public var id: String
    public var type: EventType
    public var time: Timestamp
    public var asset: AssetRef
    public var from: SiteLocation?
    public var to: SiteLocation?
    public var direction: Direction?
    public var readPoint: String?
    public var rule: String?
    public var causes: [String]

    public init(type: EventType, time: Timestamp, asset: AssetRef, from: SiteLocation? = nil, to: SiteLocation? = nil,
                direction: Direction? = nil, readPoint: String? = nil, rule: String? = nil, causes: [String]) {
        self.type = type
        self.time = time
        self.asset = asset
        self.from = from
        self.to = to
        self.direction = direction
        self.readPoint = readPoint
        self.rule = rule
        self.causes = causes
        id = SiteEventID.make(type: type, time: time, causes: causes, rule: rule)
    }

    /// The event in the gateways' contract, for the same sinks: `gateway` is the site's id,
    /// `from`/`to` are `gateway/zone`, and `reason` names the gateway events it came from.
    public func movementEvent(site: String) -> MovementEvent {
        MovementEvent(id: id, type: type, time: time, gateway: site, asset: asset, from: from?.description,
                      to: to?.description, direction: direction, readPoint: readPoint, rule: rule,
                      reason: "from " + causes.joined(separator: ","))
    }
}

/// Site event ids: UUIDv7 like a gateway's (the event's time, then 74 bits), but the 74 bits are
/// drawn from a hash of what caused the event instead of a random source, so they are the same
/// every time the same gateway events are applied.
public enum SiteEventID {
    public static func make(type: EventType, time: Timestamp, causes: [String], rule: String?) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            hash ^= 0xFF
            hash = hash &* 0x0000_0100_0000_01B3
        }
        mix(type.rawValue)
        for cause in causes { mix(cause) }
        if let rule { mix(rule) }
        var rng = SplitMix64(seed: hash)
        return EventID.make(time: time, using: &rng)
    }
}
