import TagwayTestSupport
import Foundation
import Testing
import TagwayConfig
import TagwayOutbox

/// `sinks:`, `retention:` and `api:` in the gateway file: values, defaults and located errors.
@Suite struct SinkConfigTests {
    static let devices = TestPaths.repositoryDevices

    func load(_ extra: String) throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse("""
            gateway: { id: dock-east, dataDir: /tmp/x }
            readers:
              - { id: door3-uhf, profile: magicrf/m100, port: /dev/null }
            \(extra)
            """, file: "/etc/tagway/gw.yaml", devicesDir: Self.devices)
    }

    func errors(_ extra: String) -> [String] {
        do {
            _ = try load(extra)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func everySinkKind() throws {
        let config = try load("""
            sinks:
              - { id: itam, webhook: { url: "https://itam.example/hooks", secret: "env:HOOK_SECRET", format: cloudevents, timeout: 5s, caFile: ca.pem },
                  batch: { maxEvents: 50, linger: 1s }, retry: { initial: 1s, max: 5m, maxAttempts: 100 } }
              - { id: bus, mqtt: { host: broker.local, port: 8883, topic: "site/{gateway}/{type}", qos: 1, clientId: gw1, username: gw, password: "env:MQTT_PW", tls: true } }
              - { id: epcis, epcis: { url: "https://epcis.example/capture", zones: { dock-3: { readPoint: "urn:epc:id:sgln:0614141.00777.3", bizLocation: "urn:epc:id:sgln:0614141.00777.0" } } } }
              - { id: snipe, snipeit: { url: "https://snipe.example", token: "env:SNIPE_TOKEN", locations: { dock-3: 12 } } }
            retention: { maxEvents: 1000000, maxAge: 30d, policy: drop-oldest }
            api: { listen: "127.0.0.1:8080" }
            """.replacingOccurrences(of: "30d", with: "720h"))
        #expect(config.sinks.map(\.id) == ["itam", "bus", "epcis", "snipe"])
        #expect(config.sinks.map(\.kindName) == ["webhook", "mqtt", "epcis", "snipeit"])
        guard case .webhook(let w) = config.sinks[0].kind else { Issue.record("not a webhook"); return }
        #expect(w.secret == .env("HOOK_SECRET"))
        #expect(w.format == "cloudevents")
        #expect(w.caFile == "/etc/tagway/ca.pem")
        #expect(config.sinks[0].delivery == DeliveryPolicy(maxEvents: 50, linger: .seconds(1), retryInitial: .seconds(1),
                                                           retryMax: .seconds(300), maxAttempts: 100))
        guard case .mqtt(let m) = config.sinks[1].kind else { Issue.record("not mqtt"); return }
        #expect(m.port == 8883 && m.tls && m.password == .env("MQTT_PW") && m.clientID == "gw1")
        guard case .epcis(let e) = config.sinks[2].kind else { Issue.record("not epcis"); return }
        #expect(e.zones["dock-3"]?.readPoint == "urn:epc:id:sgln:0614141.00777.3")
        guard case .snipeit(let s) = config.sinks[3].kind else { Issue.record("not snipeit"); return }
        #expect(s.locations == ["dock-3": 12])
        #expect(s.requestsPerMinute == 120, "Snipe-IT's own default API limit")
        #expect(!s.forwardUnknown)
        #expect(config.retention == RetentionPolicy(maxEvents: 1_000_000, maxAge: .seconds(720 * 3600), policy: .dropOldest))
        #expect(config.api == APIConfig(host: "127.0.0.1", port: 8080))
    }

    @Test func defaults() throws {
        let config = try load("sinks:\n  - { id: itam, webhook: { url: \"http://127.0.0.1:9/h\" } }")
        #expect(config.sinks[0].delivery == DeliveryPolicy())
        #expect(config.sinks[0].delivery.maxAttempts == nil, "retries forever by default")
        #expect(config.retention.policy == .block)
        #expect(config.api == nil)
    }

    @Test func mistakesAreLocated() {
        let found = errors("""
            sinks:
              - { id: a, webhook: { url: "ftp://x" } }
              - { id: b, mqtt: { host: h, qos: 2 } }
              - { id: c }
              - { id: d, webhook: { url: "http://x/y" }, mqtt: { host: h } }
              - { id: e, snipeit: { url: "https://s", token: "env:" , locations: { z: 1 } } }
              - { id: f, webhook: { url: "http://x/y", format: xml } }
            retention: { policy: drop-newest }
            api: { listen: localhost }
            """)
        let text = found.joined(separator: "\n")
        #expect(text.contains("gw.yaml:5:"), "\(text)")
        #expect(text.contains("'ftp://x' is not an http(s) URL"))
        #expect(text.contains("unknown format 'xml'; expected json or cloudevents"))
        #expect(text.contains("qos 2 is not supported"))
        #expect(text.contains("sink 'c' has no destination"))
        #expect(text.contains("sink 'd' has several destinations"))
        #expect(text.contains("does not name an environment variable"))
        #expect(text.contains("unknown retention policy 'drop-newest'; expected block or drop-oldest"))
        #expect(text.contains("'localhost' is not an address"))
    }

    /// Issue 18: the Snipe-IT pace and unknown-tag forwarding, and their mistakes with their line.
    @Test func snipeITPaceAndUnknownTags() throws {
        let config = try load("""
            sinks:
              - { id: snipe, snipeit: { url: "https://snipe.example", token: "env:T", locations: { dock-3: 12 }, requestsPerMinute: 50, forwardUnknown: true } }
            """)
        guard case .snipeit(let s) = config.sinks[0].kind else { Issue.record("not snipeit"); return }
        #expect(s.requestsPerMinute == 50 && s.forwardUnknown)
        let text = errors("""
            sinks:
              - { id: a, snipeit: { url: "https://s", token: "env:T", locations: { z: 1 }, requestsPerMinute: 0 } }
              - { id: b, snipeit: { url: "https://s", token: "env:T", locations: { z: 0 } } }
              - { id: c, snipeit: { url: "https://s", token: "env:T", locations: { z: 1 }, forwardUnknown: maybe } }
            """).joined(separator: "\n")
        #expect(text.contains("gw.yaml:5:") && text.contains("0 is out of range; expected 1...6000"), "\(text)")
        #expect(text.contains("gw.yaml:6:") && text.contains("0 is out of range; expected 1...2147483647"), "\(text)")
        #expect(text.contains("gw.yaml:7:"), "\(text)")
    }

    @Test func secretsAreNeverPrinted() {
        #expect(SecretRef.literal("hunter2").description.contains("hunter2") == false)
        #expect(SecretRef.env("X").resolve(["X": "v"]) == "v")
        #expect(SecretRef.env("X").resolve([:]) == nil)
    }
}
