import Foundation
import Logging
import Synchronization
import TagwayModel
import TagwayOutbox

/// Records a Snipe-IT audit (`POST /api/v1/hardware/audit` with `update_location`) for each
/// move into a zone mapped to a Snipe-IT location; other events have nothing to record.
///
/// Snipe-IT answers an unknown asset tag with HTTP 200 and `"status":"error"`: that answer is
/// read, and the event counts as handled (logged, counted in `skipped`) rather than blocking
/// every later event behind an asset the store does not know. 429 is its rate limit: retried.
public final class SnipeITSink: Sink, Sendable {
    public enum AssetTag: Sendable { case raw, key }

    public let id: String
    public var kind: String { "snipeit" }
    let auditURL: String
    let token: String
    let locations: [String: Int]
    let assetTag: AssetTag
    let poster: HTTPPoster
    let clock: @Sendable () -> Timestamp
    let logger = Logger(label: "tagway.snipeit")
    private let skippedCount = Mutex(0)

    public init(id: String, baseURL: String, token: String, locations: [String: Int], assetTag: AssetTag = .raw,
                caFile: String? = nil, timeout: Duration = .seconds(10), clock: @escaping @Sendable () -> Timestamp) throws {
        self.id = id
        auditURL = (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/api/v1/hardware/audit"
        self.token = token
        self.locations = locations
        self.assetTag = assetTag
        self.clock = clock
        poster = try HTTPPoster(caFile: caFile, timeout: timeout)
    }

    /// Events Snipe-IT answered with `"status":"error"` (unknown asset tag and the like).
    public var skipped: Int { skippedCount.withLock { $0 } }

    /// The audit request for an event, or nil when the event is not a move into a mapped zone.
    public func audit(for event: MovementEvent) -> (tag: String, location: Int)? {
        guard [.arrived, .moved, .observed].contains(event.type) || (event.type == .passed && event.direction == .in),
              let zone = event.to, let location = locations[zone] else { return nil }
        return (assetTag == .raw ? event.asset.raw : event.asset.key, location)
    }

    public func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome {
        for event in events {
            guard let audit = audit(for: event) else { continue }
            var body = JSONObjectWriter()
            body.string("asset_tag", audit.tag)
            body.number("location_id", Int64(audit.location))
            body.bool("update_location", true)
            body.string("note", "tagway \(event.type.rawValue) event \(event.id)")
            let headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json"),
                           ("Content-Type", "application/json"), ("User-Agent", "tagway")]
            let now = clock()
            switch await poster.send(url: auditURL, headers: headers, body: body.finish()) {
            case .failure(let failure):
                return .retry(reason: failure.message, after: nil)
            case .success(let response):
                let outcome = HTTPDeliveryClassifier.outcome(status: response.status, retryAfter: response.retryAfter,
                                                             body: response.body, now: now)
                guard outcome == .delivered else { return outcome }
                if let message = Self.applicationError(response.body) {
                    skippedCount.withLock { $0 += 1 }
                    logger.warning("snipeit \(id): audit of '\(audit.tag)' (event \(event.id)) refused: \(message)")
                }
            }
        }
        return .delivered
    }

    /// Snipe-IT's `{"status":"error","messages":…}` inside a 200; nil for success.
    public static func applicationError(_ body: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              (object["status"] as? String) == "error" else { return nil }
        if let messages = object["messages"] as? String { return messages }
        if let messages = object["messages"], let data = try? JSONSerialization.data(withJSONObject: messages),
           let text = String(data: data, encoding: .utf8) { return text }
        return "status error"
    }

    public func shutdown() async { await poster.shutdown() }
}
