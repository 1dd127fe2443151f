import Foundation
import TagwayModel

/// Connection and topic settings of the MQTT sink.
public struct MQTTOptions: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// `{gateway}`, `{type}`, `{zone}`, `{readPoint}`, `{reader}` are replaced per event.
    public var topic: String
    public var clientID: String
    public var username: String?
    public var password: String?
    public var tls: Bool
    public var caFile: String?
    public var keepAlive: Duration
    /// How long one batch may wait for the broker's acknowledgements before it is retried.
    public var ackTimeout: Duration

    public init(host: String, port: Int = 1883, topic: String = "tagway/{gateway}/events/{type}", clientID: String,
                username: String? = nil, password: String? = nil, tls: Bool = false, caFile: String? = nil,
                keepAlive: Duration = .seconds(30), ackTimeout: Duration = .seconds(15)) {
        self.host = host
        self.port = port
        self.topic = topic
        self.clientID = clientID
        self.username = username
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.keepAlive = keepAlive
        self.ackTimeout = ackTimeout
    }
}

/// Fills a topic template for one event. Values cannot add topic levels or wildcards: `/`, `+`
/// and `#` in an id become `_`, and a missing value becomes `-`.
public enum MQTTTopic {
    public static func render(_ template: String, _ event: MovementEvent) -> String {
        let zone = event.type == .departed ? (event.from ?? event.readPoint) : (event.to ?? event.from ?? event.readPoint)
        let values: [(String, String?)] = [
            ("{gateway}", event.gateway), ("{type}", event.type.rawValue), ("{zone}", zone),
            ("{readPoint}", event.readPoint), ("{reader}", event.reader),
        ]
        var topic = template
        for (placeholder, value) in values where topic.contains(placeholder) {
            topic = topic.replacingOccurrences(of: placeholder, with: sanitize(value))
        }
        return topic
    }

    static func sanitize(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        return String(value.map { "/+#".contains($0) ? "_" : $0 })
    }
}
