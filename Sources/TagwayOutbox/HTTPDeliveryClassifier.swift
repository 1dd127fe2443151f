import Foundation
import TagwayModel

/// Maps an HTTP answer to a delivery outcome, for every HTTP sink (webhook, EPCIS, Snipe-IT).
///
/// 2xx delivered; 409 already delivered (the store saw these ids); 408, 425, 429 and 5xx are
/// worth another try (honouring `Retry-After`); any other 4xx means the request itself is wrong
/// (bad URL, bad credentials, bad payload) and retrying would only hammer the store.
public enum HTTPDeliveryClassifier {
    public static func outcome(status: Int, retryAfter: String?, body: String = "", now: Timestamp) -> DeliveryOutcome {
        switch status {
        case 200..<300:
            return .delivered
        case 409:
            return .alreadyDelivered
        case 408, 425, 429, 500..<600:
            return .retry(reason: "HTTP \(status)\(snippet(body))", after: retryAfter.flatMap { parseRetryAfter($0, now: now) })
        default:
            return .rejected(reason: "HTTP \(status)\(snippet(body)); fix the sink's configuration or the store, then restart")
        }
    }

    /// `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
    public static func parseRetryAfter(_ value: String, now: Timestamp) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text), seconds >= 0 { return .seconds(seconds) }
        guard let date = parseIMFFixdate(text) else { return nil }
        return .milliseconds(max(0, date.milliseconds - now.milliseconds))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func parseIMFFixdate(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT" else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])), let year = Int(parts[3])
        else { return nil }
        let iso = String(format: "%04d-%02d-%02dT%@Z", year, monthIndex + 1, day, String(parts[4]))
        return ISO8601Millis.parse(iso)
    }

    private static func snippet(_ body: String) -> String {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "" }
        return ": " + String(trimmed.prefix(200))
    }
}
