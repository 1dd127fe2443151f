import Foundation
import TagwayDelivery

/// A secret named in the configuration. `env:VAR` reads the environment and `file:/path` the
/// first line of a file when the gateway starts, so the configuration can be shared and
/// committed (and a systemd credential or a mode-0600 file holds the secret); the value is never
/// printed. A literal works but is warned about.
public enum SecretRef: Sendable, Hashable, CustomStringConvertible {
    case env(String)
    case file(String)
    case literal(String)

    /// The secret's value, or nil when the variable is not set or the file cannot be read.
    public func resolve(_ environment: [String: String]) -> String? {
        switch self {
        case .env(let name): environment[name]
        case .file(let path): Self.firstLine(of: path)
        case .literal(let value): value
        }
    }

    public var description: String {
        switch self {
        case .env(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        case .literal: "(secret given in the file)"
        }
    }

    /// Why `resolve` found nothing, for the start-up error.
    public var unavailableReason: String {
        switch self {
        case .env: "is not set in the environment"
        case .file: "cannot be read (or is empty)"
        case .literal: "is empty"
        }
    }

    /// The file's first line without its line ending; nil when it cannot be read or is empty.
    /// Only the first 64 KiB are read: a secret is a line, not a file of any size.
    static func firstLine(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 65_536), !data.isEmpty else { return nil }
        let line = data.prefix { $0 != UInt8(ascii: "\n") }
        let text = String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}

/// One entry of `sinks:`: where events go, and how they are batched and retried.
public struct SinkConfig: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case webhook(Webhook)
        case mqtt(MQTT)
        case epcis(EPCIS)
        case snipeit(SnipeIT)
        case jetstream(JetStream)
    }

    public struct Webhook: Sendable, Hashable {
        public var url: String
        public var secret: SecretRef?
        /// `json` (an array of events) or `cloudevents` (CloudEvents 1.0 structured batch).
        public var format: String = "json"
        public var timeout: Duration = .seconds(10)
        public var caFile: String?
    }

    public struct MQTT: Sendable, Hashable {
        public var host: String
        public var port: Int = 1883
        /// `{gateway}`, `{type}`, `{zone}`, `{readPoint}` and `{reader}` are replaced per event.
        public var topic: String = "tagway/{gateway}/events/{type}"
        public var qos: Int = 1
        public var clientID: String?
        public var username: String?
        public var password: SecretRef?
        public var tls: Bool = false
        public var caFile: String?
        public var keepAlive: Duration = .seconds(30)
    }

    public struct EPCISZone: Sendable, Hashable {
        public var readPoint: String
        public var bizLocation: String
    }

    public struct EPCIS: Sendable, Hashable {
        public var url: String
        public var zones: [String: EPCISZone]
        public var token: SecretRef?
        public var timeout: Duration = .seconds(10)
        public var caFile: String?
    }

    public struct SnipeIT: Sendable, Hashable {
        public var url: String
        public var token: SecretRef
        /// Zone id → Snipe-IT location id.
        public var locations: [String: Int]
        /// Which part of the asset is the Snipe-IT asset tag: `raw` (the code as read) or `key`.
        public var assetTag: String = "raw"
        public var timeout: Duration = .seconds(10)
        public var caFile: String?
        /// `requestsPerMinute`: the pace of audits, at most the store's API limit (Snipe-IT's
        /// `API_THROTTLE_PER_MINUTE`, 120 unless changed) and less when other clients share it.
        public var requestsPerMinute = 120
        /// `forwardUnknown`: a tag Snipe-IT does not know also becomes an `unknown` event in the
        /// log (once per tag while the gateway runs), for the other sinks and the API.
        public var forwardUnknown = false
    }

    public var id: String
    public var kind: Kind
    public var delivery: DeliveryPolicy
    public var line: Int

    public var kindName: String {
        switch kind {
        case .webhook: "webhook"
        case .mqtt: "mqtt"
        case .epcis: "epcis"
        case .snipeit: "snipeit"
        case .jetstream: "jetstream"
        }
    }

    /// The secrets this sink needs from the environment, for the start-up check.
    public var secrets: [SecretRef] {
        switch kind {
        case .webhook(let w): [w.secret].compactMap { $0 }
        case .mqtt(let m): [m.password].compactMap { $0 }
        case .epcis(let e): [e.token].compactMap { $0 }
        case .snipeit(let s): [s.token]
        case .jetstream(let j): j.auth?.secrets ?? []
        }
    }
}
