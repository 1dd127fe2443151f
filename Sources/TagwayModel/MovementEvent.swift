/// The kinds of event the asset store sees (DESIGN §2). The raw values are the wire contract.
/// `audit` is not a movement: a finished expected-vs-found audit (`audit.logEvents`), with its
/// totals in `reason` and its zone in `to`. `unknown` is not a movement either: an asset store
/// answered that no asset has this tag (Snipe-IT's `forwardUnknown`), once per tag, with the
/// zone it was seen entering in `to` and the store's answer in `reason`.
public enum EventType: String, Sendable, Hashable, Codable, CaseIterable {
    case arrived, moved, departed, passed, observed, alert, audit, unknown
}

/// Direction of a door crossing.
public enum Direction: String, Sendable, Hashable, Codable {
    case `in`, out
}

/// Which asset an event is about: the canonical key, how it was decoded, and the raw bytes/text.
public struct AssetRef: Hashable, Sendable, Codable {
    public var key: String
    public var scheme: String
    public var raw: String

    public init(key: String, scheme: String, raw: String) {
        self.key = key
        self.scheme = scheme
        self.raw = raw
    }
}

/// One movement event, as stored in the log and forwarded to sinks.
///
/// `id` is minted once, when the event is created, and stored with it, so every retry of a
/// delivery carries the same id; `seq` is assigned by the event log when the event is appended.
public struct MovementEvent: Hashable, Sendable {
    public var id: String
    public var seq: Int64?
    public var type: EventType
    public var time: Timestamp
    public var gateway: String
    public var asset: AssetRef
    public var from: String?
    public var to: String?
    public var direction: Direction?
    public var readPoint: String?
    public var reader: String?
    public var rssi: Int?
    public var reads: Int?
    public var rule: String?
    public var reason: String?
    public var symbology: String?

    public init(
        id: String, seq: Int64? = nil, type: EventType, time: Timestamp, gateway: String, asset: AssetRef,
        from: String? = nil, to: String? = nil, direction: Direction? = nil, readPoint: String? = nil,
        reader: String? = nil, rssi: Int? = nil, reads: Int? = nil, rule: String? = nil, reason: String? = nil,
        symbology: String? = nil
    ) {
        self.id = id
        self.seq = seq
        self.type = type
        self.time = time
        self.gateway = gateway
        self.asset = asset
        self.from = from
        self.to = to
        self.direction = direction
        self.readPoint = readPoint
        self.reader = reader
        self.rssi = rssi
        self.reads = reads
        self.rule = rule
        self.reason = reason
        self.symbology = symbology
    }
}
