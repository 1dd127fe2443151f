import TagwayEventLog
import TagwayModel

/// Where `GET /v1/assets`, `GET /v1/assets/{key}` and `GET /v1/zones` read: the assets now, as
/// the JSON objects the API sends, with the event position they are the state of. A gateway's
/// is its `EventLog`'s asset table; a site's (issue 17) is the picture in its key-value bucket,
/// so the same routes, parameters and answer shapes serve both.
public protocol AssetDirectory: Sendable {
    func assetPage(_ query: AssetQuery) async throws(APIError) -> AssetListing
    /// The key's rows now and its latest `events` events (newest first); nil when neither exists.
    func assetDetail(key: String, events: Int) async throws(APIError) -> AssetListing.Detail?
    func zoneTally() async throws(APIError) -> ZoneCounts
}

/// One page of assets as JSON objects, the next page's cursor and the position they are the state of.
public struct AssetListing: Sendable {
    public var objects: [String]
    public var next: AssetCursor?
    public var lastSeq: Int64

    public init(objects: [String], next: AssetCursor?, lastSeq: Int64) {
        self.objects = objects
        self.next = next
        self.lastSeq = lastSeq
    }

    /// One key: its rows now (empty when it is not tracked) and its latest events.
    public struct Detail: Sendable {
        public var key: String
        public var objects: [String]
        public var events: [MovementEvent]
        public var lastSeq: Int64

        public init(key: String, objects: [String], events: [MovementEvent], lastSeq: Int64) {
            self.key = key
            self.objects = objects
            self.events = events
            self.lastSeq = lastSeq
        }
    }
}

extension EventLog: AssetDirectory {
    public func assetPage(_ query: AssetQuery) async throws(APIError) -> AssetListing {
        do {
            return try await readAssets(query) { page in
                AssetListing(objects: page.records.map(\.json), next: page.next, lastSeq: page.lastSeq)
            }
        } catch { throw APIError.log(error) }
    }

    public func assetDetail(key: String, events: Int) async throws(APIError) -> AssetListing.Detail? {
        do {
            return try await readAssets(key: key, events: events) { history -> AssetListing.Detail? in
                guard !history.records.isEmpty || !history.events.isEmpty else { return nil }
                return AssetListing.Detail(key: history.key, objects: history.records.map(\.json), events: history.events,
                                           lastSeq: history.lastSeq)
            }
        } catch { throw APIError.log(error) }
    }

    public func zoneTally() async throws(APIError) -> ZoneCounts {
        do { return try await readZoneCounts() } catch { throw APIError.log(error) }
    }
}
