import Crypto
import Foundation
import TagwayModel

/// The bodies and headers a webhook delivery carries, built without I/O so tests check them.
public enum WebhookPayload {
    public enum Format: String, Sendable, CaseIterable {
        /// A JSON array of the events exactly as in the log (DESIGN §2).
        case json
        /// CloudEvents 1.0, structured batch mode (`application/cloudevents-batch+json`).
        case cloudevents
    }

    public static func contentType(_ format: Format) -> String {
        format == .json ? "application/json" : "application/cloudevents-batch+json"
    }

    public static func body(_ events: [MovementEvent], format: Format) -> String {
        switch format {
        case .json: return "[" + events.map(\.json).joined(separator: ",") + "]"
        case .cloudevents: return "[" + events.map(cloudEvent).joined(separator: ",") + "]"
        }
    }

    /// One CloudEvent: the event's own id (stable across retries), the gateway as source, the
    /// asset as subject, and the native event as `data`.
    public static func cloudEvent(_ event: MovementEvent) -> String {
        var w = JSONObjectWriter()
        w.string("specversion", "1.0")
        w.string("id", event.id)
        w.string("source", "urn:tagway:gateway:\(event.gateway)")
        w.string("type", "io.tagway.event.\(event.type.rawValue)")
        w.string("time", event.time.iso8601)
        w.string("subject", event.asset.key)
        w.string("datacontenttype", "application/json")
        if let seq = event.seq { w.number("tagwayseq", seq) }
        w.raw("data", event.json)
        return w.finish()
    }

    /// A key that is the same whenever the same events are sent again, so a store that honours
    /// `Idempotency-Key` recognises a redelivered batch.
    public static func idempotencyKey(_ events: [MovementEvent]) -> String {
        var hasher = SHA256()
        for event in events {
            hasher.update(data: Data(event.id.utf8))
            hasher.update(data: Data([0x0A]))
        }
        return hex(hasher.finalize()).prefix(32).description
    }

    /// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the
    /// shared secret and rejects old timestamps, so a captured request cannot be replayed later.
    public static func signature(body: String, secret: [UInt8], unixSeconds: Int64) -> String {
        let key = SymmetricKey(data: secret)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(unixSeconds).\(body)".utf8), using: key)
        return "t=\(unixSeconds),v1=\(hex(mac))"
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
