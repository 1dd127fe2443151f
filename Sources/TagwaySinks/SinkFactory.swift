import Foundation
import TagwayConfig
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// Builds the configured sinks, resolving their `env:` secrets. A secret that is not set stops
/// the start with a message naming the variable (never its value). One factory for a gateway's
/// `sinks:` and a site's (`tagway site`), so both build the same sinks from the same entries.
public enum SinkFactory {
    public struct MissingSecret: Error, CustomStringConvertible {
        public var sink: String
        public var secret: SecretRef
        public var description: String { "sink \(sink): \(secret) \(secret.unavailableReason)" }
    }

    /// An `unknown` event goes into the log like the API's audit events, so the other sinks forward it.
    static func unknownRecorder(sink: String, record: @escaping @Sendable (MovementEvent) async -> Void,
                                clock: @escaping @Sendable () -> Timestamp) -> @Sendable (MovementEvent, String) async -> Void {
        { event, message in
            var rng = SystemRandomNumberGenerator()
            let now = clock()
            await record(UnknownAssetEvent.make(from: event, sink: sink, message: message, id: EventID.make(time: now, using: &rng), time: now))
        }
    }

    /// `site`: the `{site}` of JetStream subjects (`gateway.site`, else the gateway id). `logID`:
    /// the event log's identity, sent by JetStream sinks as `Tagway-Log-Id` (see `JetStreamOptions`).
    public static func make(_ configs: [SinkConfig], gatewayID: String, site: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                     clock: @escaping @Sendable () -> Timestamp, timers: GatewayClock = .system,
                     record: (@Sendable (MovementEvent) async -> Void)? = nil, logID: String? = nil) throws -> [(sink: any Sink, policy: DeliveryPolicy)] {
        try configs.map { config in
            func resolve(_ ref: SecretRef?) throws -> String? {
                guard let ref else { return nil }
                guard let value = ref.resolve(environment) else { throw MissingSecret(sink: config.id, secret: ref) }
                return value
            }
            let sink: any Sink
            switch config.kind {
            case .webhook(let w):
                sink = try WebhookSink(id: config.id, url: w.url, format: WebhookPayload.Format(rawValue: w.format) ?? .json,
                                       secret: try resolve(w.secret).map { Array($0.utf8) }, caFile: w.caFile,
                                       timeout: w.timeout, clock: clock)
            case .mqtt(let m):
                sink = MQTTSink(id: config.id, options: MQTTOptions(
                    host: m.host, port: m.port, topic: m.topic, clientID: m.clientID ?? "tagway-\(gatewayID)-\(config.id)",
                    username: m.username, password: try resolve(m.password), tls: m.tls, caFile: m.caFile,
                    keepAlive: m.keepAlive), timers: timers)
            case .epcis(let e):
                let zones = e.zones.mapValues { EPCISDocument.Zone(readPoint: $0.readPoint, bizLocation: $0.bizLocation) }
                sink = try EPCISSink(id: config.id, url: e.url, zones: zones, token: try resolve(e.token), caFile: e.caFile,
                                     timeout: e.timeout, clock: clock)
            case .snipeit(let s):
                let onUnknown = s.forwardUnknown ? record.map { unknownRecorder(sink: config.id, record: $0, clock: clock) } : nil
                sink = try SnipeITSink(id: config.id, baseURL: s.url, token: try resolve(s.token) ?? "", locations: s.locations,
                                       assetTag: s.assetTag == "key" ? .key : .raw, requestsPerMinute: s.requestsPerMinute,
                                       caFile: s.caFile, timeout: s.timeout, clock: clock, timers: timers, onUnknown: onUnknown)
            case .jetstream(let j):
                let login: JetStreamOptions.Login?
                switch j.auth {
                case nil: login = nil
                case .user(let name, let password): login = .user(name: name, password: try resolve(password) ?? "")
                case .token(let token): login = .token(try resolve(token) ?? "")
                case .nkeySeed(let seed): login = .nkeySeed(try resolve(seed) ?? "")
                case .creds(let path): login = .creds(path: path)
                }
                var options = JetStreamOptions(
                    servers: j.servers, site: site ?? gatewayID, subject: j.subject, stream: j.stream, maxInFlight: j.maxInFlight,
                    ackTimeout: j.ackTimeout, login: login, caFile: j.tls?.ca, certFile: j.tls?.cert, keyFile: j.tls?.key,
                    clientName: "tagway-\(gatewayID)-\(config.id)")
                options.worstRetry = JetStreamStreamSpec.worstRetry(policy: config.delivery, ackTimeout: j.ackTimeout)
                options.logID = logID
                let jetstream = JetStreamSink(id: config.id, options: options, timers: timers)
                jetstream.start()
                sink = jetstream
            }
            return (sink, config.delivery)
        }
    }
}
