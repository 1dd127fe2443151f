import TagwayAPI
import TagwayEventLog
import TagwayModel
import TagwaySite

/// `GET /v1/assets`, `/v1/assets/{key}` and `/v1/zones` of a site: the picture in the bucket
/// (one row per asset), with the gateway API's parameters where they apply (`zone` is a site
/// place, `gateway/zone`). `lastSeq` is the site events stream's last seq when the rows were
/// read: following `/v1/events/stream` from it misses no movement (a bucket and a stream have
/// no shared transaction, so an event may also be shown twice: once in the rows, once streamed).
struct SiteAssetDirectory: AssetDirectory {
    let reader: SiteReader
    /// The newest site events `/v1/assets/{key}` looks through for the key's latest events.
    static let historyScan: UInt64 = 10_000
    /// Site rows are one per asset key: the cursor's tag is a constant.
    static let cursorTag = TagID(bytes: [0])

    func assetPage(_ query: AssetQuery) async throws(APIError) -> AssetListing {
        let stream = reader.config.events.stream.name
        return try await reader.read { nats throws(SiteJetStream.Failure) in
            let last = try nats.bounds(ofStream: stream).last
            let rows = SiteBucketRows.decode(try nats.entries(prefix: "asset.")).assets
            let limit = min(max(query.limit, 1), AssetQuery.maxLimit)
            let matching = rows.filter { Self.matches($0, query) }.sorted { $0.asset.key < $1.asset.key }
            let page = matching.prefix(limit)
            let next = matching.count > limit ? page.last.map { AssetCursor(key: $0.asset.key, tag: Self.cursorTag) } : nil
            return AssetListing(objects: page.map(Self.json), next: next, lastSeq: Int64(clamping: last))
        }
    }

    static func matches(_ state: SiteAssetState, _ query: AssetQuery) -> Bool {
        if let zone = query.zone, state.location.description != zone { return false }
        if let key = query.key, state.asset.key != key { return false }
        if let prefix = query.keyPrefix, !state.asset.key.hasPrefix(prefix) { return false }
        if let since = query.seenSince, state.lastSeen < since { return false }
        if let after = query.after, state.asset.key <= after.key { return false }
        return true
    }

    func assetDetail(key: String, events count: Int) async throws(APIError) -> AssetListing.Detail? {
        let stream = reader.config.events.stream
        return try await reader.read { nats throws(SiteJetStream.Failure) in
            let bounds = try nats.bounds(ofStream: stream.name)
            let row = try nats.get(SiteBucketRows.assetKey(key)).flatMap { SiteBucketRows.decode([SiteBucketRows.assetKey(key): $0.value]).assets.first }
            // The key's latest `count` among the newest `historyScan` site events, newest first.
            var events: [MovementEvent] = []
            if count > 0, bounds.last > 0 {
                let first = max(bounds.first, bounds.last > Self.historyScan ? bounds.last - Self.historyScan + 1 : 1)
                try nats.scan(stream: stream.name, subjects: stream.subjects, from: first, through: bounds.last) { sequence, payload in
                    if case .success(var event) = GatewayEventDecoder.decode(payload), event.asset.key == key {
                        event.seq = Int64(clamping: sequence)
                        events.append(event)
                        if events.count > count { events.removeFirst() }
                    }
                    return true
                }
                events.reverse()
            }
            guard row != nil || !events.isEmpty else { return nil }
            return AssetListing.Detail(key: key, objects: row.map { [Self.json($0)] } ?? [], events: events,
                                       lastSeq: Int64(clamping: bounds.last))
        }
    }

    func zoneTally() async throws(APIError) -> ZoneCounts {
        let stream = reader.config.events.stream.name
        return try await reader.read { nats throws(SiteJetStream.Failure) in
            let last = try nats.bounds(ofStream: stream).last
            let rows = SiteBucketRows.decode(try nats.entries(prefix: "asset.")).assets
            var counts: [String: Int] = [:]
            for row in rows { counts[row.location.description, default: 0] += 1 }
            return ZoneCounts(counts: counts, lastSeq: Int64(clamping: last))
        }
    }

    /// A site asset's JSON: the gateway's field names where they mean the same (`zone` is the
    /// site place `gateway/zone`), and the site's own (`gateway`, `lastEventId`).
    static func json(_ state: SiteAssetState) -> String {
        var out = JSONObjectWriter()
        out.string("key", state.asset.key)
        out.string("scheme", state.asset.scheme)
        out.string("raw", state.asset.raw)
        out.string("zone", state.location.description)
        out.string("gateway", state.location.gateway)
        out.string("since", state.since.iso8601)
        out.string("lastSeen", state.lastSeen.iso8601)
        out.string("lastEventId", state.lastEventID)
        if let departure = state.departure { out.string("departedAt", departure.time.iso8601) }
        return out.finish()
    }
}
