import Foundation
import Testing
import TagwayConfig
import TagwayOutbox
import TagwayTestSupport

/// `gateway.site` and `sinks[].jetstream` in the gateway file: values, defaults, and errors
/// located at their line with what would be right.
@Suite struct JetStreamConfigTests {
    func load(_ sink: String, gateway: String = "gateway: { id: dock-east, site: hq, dataDir: /tmp/x }") throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse("""
            \(gateway)
            readers:
              - { id: door3-uhf, profile: magicrf/m100, port: /dev/null }
            sinks:
              - id: js
            \(sink)
            """, file: "/etc/tagway/gw.yaml", devicesDir: TestPaths.repositoryDevices)
    }

    func errors(_ sink: String) -> [String] {
        do {
            _ = try load(sink)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    func jetstream(_ config: GatewayConfig) -> SinkConfig.JetStream? {
        guard case .jetstream(let j) = config.sinks.first?.kind else { return nil }
        return j
    }

    @Test func everyKey() throws {
        let config = try load("""
                jetstream:
                  servers: [nats://nats-1:4222, tls://nats-2:4222]
                  subject: "fleet.{site}.{gateway}.{type}.{zone}"
                  stream: { name: FLEET, subjects: ["fleet.>"], replicas: 3, maxAge: 720h, duplicateWindow: 10m, create: false }
                  maxInFlight: 512
                  ackTimeout: 5s
                  auth: { user: tagway, password: "env:NATS_PASSWORD" }
                  tls: { ca: /etc/passwd }
                retry: { max: 2m }
            """)
        #expect(config.site == "hq")
        #expect(config.sinks.first?.kindName == "jetstream")
        let j = try #require(jetstream(config))
        #expect(j.servers == ["nats://nats-1:4222", "tls://nats-2:4222"])
        #expect(j.subject == "fleet.{site}.{gateway}.{type}.{zone}")
        #expect(j.stream == JetStreamStreamSpec(name: "FLEET", subjects: ["fleet.>"], replicas: 3, maxAge: .seconds(720 * 3600),
                                                duplicateWindow: .seconds(600), create: false))
        #expect(j.maxInFlight == 512)
        #expect(j.ackTimeout == .seconds(5))
        #expect(j.auth == .user(name: "tagway", password: .env("NATS_PASSWORD")))
        #expect(j.tls == SinkConfig.TLS(ca: "/etc/passwd"))
        #expect(config.sinks.first?.secrets == [.env("NATS_PASSWORD")])
        #expect(!config.warnings.contains { $0.key.contains("jetstream") }, "\(config.warnings)")
    }

    @Test func defaults() throws {
        let config = try load("    jetstream: { servers: [nats://127.0.0.1:4222] }",
                              gateway: "gateway: { id: dock-east, dataDir: /tmp/x }")
        #expect(config.site == nil)
        #expect(config.siteName == "dock-east", "a gateway without a site is a site of its own")
        let j = try #require(jetstream(config))
        #expect(j.subject == "tagway.{site}.{gateway}.{type}")
        #expect(j.stream == JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"], replicas: 1, maxAge: nil,
                                                duplicateWindow: .seconds(120), create: true))
        #expect(j.maxInFlight == 256)
        #expect(j.auth == nil && j.tls == nil)
    }

    @Test func eachLoginKind() throws {
        for (auth, expected) in [("{ token: \"env:NATS_TOKEN\" }", SinkConfig.Auth.token(.env("NATS_TOKEN"))),
                                 ("{ nkeySeed: \"env:NATS_SEED\" }", .nkeySeed(.env("NATS_SEED"))),
                                 ("{ creds: /etc/passwd }", .creds(path: "/etc/passwd"))] {
            let config = try load("    jetstream: { servers: [nats://a:4222], auth: \(auth) }")
            #expect(jetstream(config)?.auth == expected)
        }
    }

    @Test func mistakesAreLocated() {
        let cases: [(String, String)] = [
            ("    jetstream: { subject: a.b }", "missing key 'servers'"),
            ("    jetstream: { servers: [http://a:4222] }", "is not a NATS server URL"),
            ("    jetstream: { servers: [] }", "no servers"),
            ("    jetstream: { servers: [nats://a:4222], subject: \"tagway.{gw}\" }", "unknown placeholder"),
            ("    jetstream: { servers: [nats://a:4222], subject: \"tagway.*.{type}\" }", "wildcard"),
            ("    jetstream: { servers: [nats://a:4222], subject: \"{site}.events\" }", "cannot be derived"),
            ("    jetstream: { servers: [nats://a:4222], stream: { subjects: [other.>] } }", "do not take every subject"),
            ("    jetstream: { servers: [nats://a:4222], stream: { name: \"a.b\" } }", "refuses"),
            ("    jetstream: { servers: [nats://a:4222], stream: { replicas: 7 } }", "jetstream.stream.replicas"),
            ("    jetstream: { servers: [nats://a:4222], auth: { user: u } }", "user and password go together"),
            ("    jetstream: { servers: [nats://a:4222], auth: { token: t, creds: /etc/passwd } }", "several ways to log in"),
            ("    jetstream: { servers: [nats://a:4222], auth: { creds: /nonexistent.creds } }", "cannot be read"),
            ("    jetstream: { servers: [nats://a:4222], tls: { cert: /etc/passwd } }", "needs both cert and key"),
            ("    jetstream: { servers: [nats://a:4222], maxInFlight: 0 }", "maxInFlight"),
        ]
        for (sink, expected) in cases {
            let found = errors(sink)
            #expect(found.contains { $0.hasPrefix("/etc/tagway/gw.yaml:") && $0.contains(expected) },
                    "\(sink): \(found)")
        }
    }

    @Test func aStreamOfTheSiteTakesItsSubjects() throws {
        let config = try load("    jetstream: { servers: [nats://a:4222], stream: { subjects: [\"tagway.hq.>\"] } }")
        #expect(jetstream(config)?.stream.subjects == ["tagway.hq.>"])
        let found = errors("    jetstream: { servers: [nats://a:4222], stream: { subjects: [\"tagway.other.>\"] } }")
        #expect(found.contains { $0.contains("do not take every subject") && $0.contains("(site hq)") }, "\(found)")
    }

    @Test func aDuplicateWindowShorterThanTheWorstRetryIsWarnedAbout() throws {
        let config = try load("""
                jetstream: { servers: [nats://a:4222], stream: { duplicateWindow: 30s }, ackTimeout: 10s }
                retry: { max: 60s }
            """)
        #expect(config.warnings.contains { $0.message.contains("duplicateWindow") && $0.message.contains("stored twice") && $0.line == 6 },
                "\(config.warnings)")
    }
}
