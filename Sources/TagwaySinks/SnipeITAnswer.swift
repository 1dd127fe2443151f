import Foundation

/// What Snipe-IT meant by a 2xx answer to an audit. It answers application errors with HTTP 200
/// and `{"status":"error","messages":…}`, so the status code alone would count an audit of an
/// asset it does not know as done.
public enum SnipeITAnswer: Hashable, Sendable {
    case audited
    /// No asset has this tag: the tag is recorded (an unknown asset), not retried.
    case unknownAsset(message: String)
    /// Any other refusal (validation, permissions inside a 200): counted and logged, not retried.
    case refused(message: String)

    /// Reads the body of a 2xx answer. Snipe-IT has said "Asset with tag … not found" and, in
    /// later versions, "Asset does not exist": both mean the tag is unknown.
    public init(body: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              (object["status"] as? String) == "error" else {
            self = .audited
            return
        }
        let message = Self.messages(object["messages"]) ?? Self.messages(object["message"]) ?? "status error"
        let lowered = message.lowercased()
        if lowered.contains("not found") || lowered.contains("does not exist") {
            self = .unknownAsset(message: message)
        } else {
            self = .refused(message: message)
        }
    }

    private static func messages(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        guard let value, JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return text
    }
}
