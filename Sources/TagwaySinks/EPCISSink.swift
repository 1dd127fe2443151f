import TagwayModel
import TagwayOutbox

/// POSTs batches as EPCIS 2.0 documents to a capture endpoint. 409 (the repository already has
/// these eventIDs) counts as delivered, like any HTTP sink.
public struct EPCISSink: Sink {
    public let id: String
    public var kind: String { "epcis" }
    let url: String
    let zones: [String: EPCISDocument.Zone]
    let token: String?
    let poster: HTTPPoster
    let clock: @Sendable () -> Timestamp

    public init(id: String, url: String, zones: [String: EPCISDocument.Zone], token: String?, caFile: String? = nil,
                timeout: Duration = .seconds(10), clock: @escaping @Sendable () -> Timestamp) throws {
        self.id = id
        self.url = url
        self.zones = zones
        self.token = token
        self.clock = clock
        poster = try HTTPPoster(caFile: caFile, timeout: timeout)
    }

    public func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome {
        let now = clock()
        // A batch of alerts only has nothing to capture: delivered as far as EPCIS is concerned.
        guard let body = EPCISDocument.document(events, zones: zones, created: now) else { return .delivered }
        var headers = [("Content-Type", "application/ld+json"), ("GS1-EPCIS-Version", "2.0.0"), ("User-Agent", "tagway")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return await poster.deliver(url: url, headers: headers, body: body, now: now)
    }

    public func shutdown() async { await poster.shutdown() }
}
