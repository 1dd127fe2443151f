import TagwayModel

/// What the Snipe-IT sink found that was not an audit: tags no asset has, zones no location is
/// mapped to, other refusals, and how its pacing stands. Shown in status so an operator sees
/// "these 14 tags are not in Snipe-IT" instead of reading logs.
///
/// Bounded: at most `maxUnknown` tags are listed (the oldest seen are forgotten first), so a
/// stream of foreign tags cannot grow the gateway's memory.
public struct SnipeITFindings: Sendable, Hashable {
    public struct UnknownAsset: Sendable, Hashable {
        public var tag: String
        public var key: String
        public var firstSeen: Timestamp
        public var lastSeen: Timestamp
        public var audits: Int
    }

    public static let maxUnknown = 200
    /// Tags Snipe-IT answered "not found" for, newest last.
    public private(set) var unknown: [UnknownAsset] = []
    /// Audits answered "not found" since the start (also of tags no longer listed).
    public private(set) var unknownAudits = 0
    /// Events into zones the sink maps to no location: skipped, never sent with an empty location.
    public private(set) var unmappedZones: [String: Int] = [:]
    public private(set) var refused = 0
    public private(set) var lastRefusal: String?
    public var pacing = Pacing()

    public struct Pacing: Sendable, Hashable {
        public var requestsPerMinute = 0
        public var requests = 0
        public var waitedMilliseconds: Int64 = 0
        /// Audits of the batch in hand still to send (the sink's part of the backlog).
        public var pendingAudits = 0
        public var nextRequest: Timestamp?
        public var heldByStoreUntil: Timestamp?
    }

    public init() {}

    /// Records a "not found"; true when the tag is new to the list (the first time it is seen
    /// since the start, or since it was forgotten), which is when an `unknown` event is made.
    public mutating func notFound(tag: String, key: String, at time: Timestamp) -> Bool {
        unknownAudits = unknownAudits.saturatingAdd(1)
        if let index = unknown.firstIndex(where: { $0.tag == tag }) {
            var entry = unknown.remove(at: index)
            entry.lastSeen = time
            entry.audits = entry.audits.saturatingAdd(1)
            unknown.append(entry)
            return false
        }
        if unknown.count >= Self.maxUnknown { unknown.removeFirst() }
        unknown.append(UnknownAsset(tag: tag, key: key, firstSeen: time, lastSeen: time, audits: 1))
        return true
    }

    public mutating func unmapped(zone: String) {
        if unmappedZones[zone] == nil, unmappedZones.count >= Self.maxUnknown { return }
        unmappedZones[zone, default: 0] = unmappedZones[zone, default: 0].saturatingAdd(1)
    }

    public mutating func refusal(_ message: String) {
        refused = refused.saturatingAdd(1)
        lastRefusal = String(message.prefix(300))
    }

    /// The `details` object of the sink in status.
    public var json: String {
        var w = JSONObjectWriter()
        w.number("unknownAudits", Int64(unknownAudits))
        w.raw("unknownAssets", "[" + unknown.reversed().map { entry in
            var e = JSONObjectWriter()
            e.string("assetTag", entry.tag)
            e.string("key", entry.key)
            e.string("firstSeen", entry.firstSeen.iso8601)
            e.string("lastSeen", entry.lastSeen.iso8601)
            e.number("audits", Int64(entry.audits))
            return e.finish()
        }.joined(separator: ",") + "]")
        var zones = JSONObjectWriter()
        for (zone, count) in unmappedZones.sorted(by: { $0.key < $1.key }) { zones.number(zone, Int64(count)) }
        w.raw("unmappedZones", zones.finish())
        w.number("refused", Int64(refused))
        if let lastRefusal { w.string("lastRefusal", lastRefusal) }
        var p = JSONObjectWriter()
        p.number("requestsPerMinute", Int64(pacing.requestsPerMinute))
        p.number("requests", Int64(pacing.requests))
        p.number("waitedSeconds", pacing.waitedMilliseconds / 1000)
        p.number("pendingAudits", Int64(pacing.pendingAudits))
        if let next = pacing.nextRequest { p.string("nextRequest", next.iso8601) }
        if let held = pacing.heldByStoreUntil { p.string("heldByStoreUntil", held.iso8601) }
        w.raw("pacing", p.finish())
        return w.finish()
    }
}
