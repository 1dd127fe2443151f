import TagwayEventLog
import TagwayModel

/// The configured zones as `GET /v1/zones` lists them. The API sees zones only through this
/// value (it does not depend on the movement engine); the gateway builds it from its
/// configuration when it starts the API.
public struct ZoneDirectory: Sendable, Hashable {
    public struct Zone: Sendable, Hashable {
        public var id: String
        public var name: String?
        /// `presence` or `scan`.
        public var mode: String
        public var readPoints: [String]
        /// Read points on the inside / outside of a door zone (empty elsewhere).
        public var doorInside: [String]
        public var doorOutside: [String]

        public init(id: String, name: String? = nil, mode: String, readPoints: [String] = [], doorInside: [String] = [],
                    doorOutside: [String] = []) {
            self.id = id
            self.name = name
            self.mode = mode
            self.readPoints = readPoints
            self.doorInside = doorInside
            self.doorOutside = doorOutside
        }

        var isDoor: Bool { !doorInside.isEmpty || !doorOutside.isEmpty }
    }

    /// In configuration order.
    public var zones: [Zone]

    public init(_ zones: [Zone] = []) {
        self.zones = zones
    }

    /// `{"zones":[...],"lastSeq":N}`: every configured zone with its asset count now, then the
    /// zones that hold rows but are not configured (a log written under an older configuration),
    /// sorted by id and flagged `"configured":false`, so no asset is left out of the counts.
    public func json(counts: ZoneCounts) -> String {
        var items: [String] = []
        var listed = Set<String>()
        for zone in zones where listed.insert(zone.id).inserted {
            var out = JSONObjectWriter()
            out.string("id", zone.id)
            if let name = zone.name { out.string("name", name) }
            out.string("mode", zone.mode)
            out.raw("readPoints", Self.array(zone.readPoints))
            if zone.isDoor {
                var door = JSONObjectWriter()
                door.raw("inside", Self.array(zone.doorInside))
                door.raw("outside", Self.array(zone.doorOutside))
                out.raw("door", door.finish())
            }
            out.number("assets", Int64(counts.counts[zone.id] ?? 0))
            out.bool("configured", true)
            items.append(out.finish())
        }
        for (id, count) in counts.counts.sorted(by: { $0.key < $1.key }) where !listed.contains(id) {
            var out = JSONObjectWriter()
            out.string("id", id)
            out.raw("readPoints", "[]")
            out.number("assets", Int64(count))
            out.bool("configured", false)
            items.append(out.finish())
        }
        var body = JSONObjectWriter()
        body.raw("zones", "[" + items.joined(separator: ",") + "]")
        body.number("lastSeq", counts.lastSeq)
        return body.finish()
    }

    static func array(_ texts: [String]) -> String {
        "[" + texts.map(JSONObjectWriter.quote).joined(separator: ",") + "]"
    }
}
