import Foundation
import TagwayModel
import TagwayOutbox

/// POSTs batches to the asset store's webhook: JSON array or CloudEvents batch, with the batch's
/// seq range, an idempotency key and an HMAC signature in the headers.
public struct WebhookSink: Sink {
    public let id: String
    public var kind: String { "webhook" }
    let url: String
    let format: WebhookPayload.Format
    let secret: [UInt8]?
    let poster: HTTPPoster
    let clock: @Sendable () -> Timestamp

    public init(id: String, url: String, format: WebhookPayload.Format = .json, secret: [UInt8]?, caFile: String? = nil,
                timeout: Duration = .seconds(10), clock: @escaping @Sendable () -> Timestamp) throws {
        self.id = id
        self.url = url
        self.format = format
        self.secret = secret
        self.clock = clock
        poster = try HTTPPoster(caFile: caFile, timeout: timeout)
    }

    public func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome {
        let now = clock()
        let body = WebhookPayload.body(events, format: format)
        var headers: [(String, String)] = [
            ("Content-Type", WebhookPayload.contentType(format)),
            ("User-Agent", "tagway"),
            ("Tagway-First-Seq", String(events.first?.seq ?? 0)),
            ("Tagway-Last-Seq", String(events.last?.seq ?? 0)),
            ("Tagway-Event-Count", String(events.count)),
            ("Idempotency-Key", WebhookPayload.idempotencyKey(events)),
        ]
        let seconds = now.milliseconds / 1000
        headers.append(("Tagway-Timestamp", String(seconds)))
        if let secret { headers.append(("Tagway-Signature", WebhookPayload.signature(body: body, secret: secret, unixSeconds: seconds))) }
        return await poster.deliver(url: url, headers: headers, body: body, now: now)
    }

    public func shutdown() async { await poster.shutdown() }
}
