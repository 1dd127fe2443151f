import Foundation
import TagwayModel
import TagwayOutbox

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

/// Fills a topic template for one event through `SubjectTemplate` (the placeholders the
/// JetStream sink shares). Values cannot add topic levels or wildcards: `/`, `+` and `#` in an
/// id become `_`, and a missing value becomes `-` (so does `{site}`: the MQTT sink has none).
public enum MQTTTopic {
    public static func render(_ template: String, _ event: MovementEvent) -> String {
        SubjectTemplate.render(template, event, site: nil, sanitize: sanitize)
    }

    static func sanitize(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        return String(value.map { "/+#".contains($0) ? "_" : $0 })
    }
}
