import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// `api:` (issue 12): tokens as secrets, public endpoints, TLS files, request limits, and the
/// rule that an API reachable from the network has a token.
@Suite struct APIConfigTests {
    func parse(_ api: String, in dir: String = "/etc/tagway") throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: /tmp/x }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a }
            api: \(api)
            """, file: dir + "/gw.yaml", devicesDir: repositoryDevices)
    }

    func errors(_ api: String, in dir: String = "/etc/tagway") -> [String] {
        do {
            _ = try parse(api, in: dir)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aFileSaysNothingAndGetsTheDefaults() throws {
        let api = try #require(try parse(#"{ listen: "127.0.0.1:8080" }"#).api)
        #expect(api.tokens.isEmpty)
        #expect(api.publicEndpoints == [.healthz, .readyz])
        #expect(api.tls == nil)
        #expect(api.maxBodyBytes == 1 << 20)
        #expect(api.maxHeaderBytes == 16 << 10)
        #expect(api.idleTimeout == .seconds(30))
    }

    @Test func everyKeyIsRead() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "0123456789abcdef0123\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        chmod(dir + "/token", 0o600)
        let api = try #require(try parse("""
            { listen: "0.0.0.0:8443", tokens: ["env:TAGWAY_API_TOKEN", "file:token"], public: [healthz, metrics],
                   maxBodyBytes: 4096, maxHeaderBytes: 8192, idleTimeout: 5s }
            """, in: dir).api)
        #expect(api.host == "0.0.0.0")
        #expect(api.tokens == [APIToken(name: "token-1", secret: .env("TAGWAY_API_TOKEN")), APIToken(name: "token-2", secret: .file(dir + "/token"))])
        #expect(api.publicEndpoints == [.healthz, .metrics])
        #expect(api.maxBodyBytes == 4096)
        #expect(api.maxHeaderBytes == 8192)
        #expect(api.idleTimeout == .seconds(5))
        #expect(try parse(#"{ listen: "127.0.0.1:1", public: [] }"#).api?.publicEndpoints == [])
    }

    @Test func aNonLoopbackListenWithoutATokenIsRefusedSayingWhy() {
        for listen in ["0.0.0.0:8080", "192.168.1.20:8080", "[::]:8080", "gateway.local:8080", "128.0.0.1:80"] {
            let found = errors("{ listen: \"\(listen)\" }")
            #expect(found == [
                "/etc/tagway/gw.yaml:4:16: api.listen: the pull API would listen on \(listen), which other machines can reach, with no api.tokens: "
                    + "anyone on the network could read the event log; expected api.tokens: [\"file:/etc/tagway/api-token\"] with "
                    + "a random token of at least 16 visible ASCII characters (openssl rand -hex 32), or listen on 127.0.0.1",
            ], "\(listen)")
            #expect(errors("{ listen: \"\(listen)\", tokens: [] }").count == 1, "an empty list is no token: \(listen)")
        }
        for listen in ["127.0.0.1:8080", "127.8.9.10:1", "localhost:8080", "[::1]:8080"] {
            #expect(errors("{ listen: \"\(listen)\" }") == [], "\(listen)")
        }
        #expect(errors(#"{ listen: "0.0.0.0:8080", tokens: ["env:TAGWAY_API_TOKEN"] }"#) == [])
    }

    @Test func weakTokensAreLocatedErrors() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "short\n".write(toFile: dir + "/short", atomically: true, encoding: .utf8)
        try "\n".write(toFile: dir + "/empty", atomically: true, encoding: .utf8)
        chmod(dir + "/short", 0o600)
        chmod(dir + "/empty", 0o600)
        let found = errors(#"{ listen: "127.0.0.1:1", tokens: ["file:short", "file:empty", "tooshort", "has a space in the token", "file:missing"] }"#, in: dir)
        let hint = "a random token of at least 16 visible ASCII characters (openssl rand -hex 32)"
        #expect(found == [
            "\(dir)/gw.yaml:4:40: api.tokens[0]: \(dir)/short: the token has 5 characters, fewer than 16; expected a file whose first line is \(hint)",
            "\(dir)/gw.yaml:4:54: api.tokens[1]: the token file \(dir)/empty is empty; expected a file whose first line is \(hint)",
            "\(dir)/gw.yaml:4:68: api.tokens[2]: the token has 8 characters, fewer than 16; expected \(hint)",
            "\(dir)/gw.yaml:4:80: api.tokens[3]: the token holds a space, a control or a non-ASCII character; expected \(hint)",
            "\(dir)/gw.yaml:4:108: api.tokens[4]: secret file \(dir)/missing cannot be read; expected a readable file whose first line is the secret",
        ])
        // A literal that passes works, and is warned about like a sink's.
        let config = try parse(#"{ listen: "0.0.0.0:1", tokens: ["0123456789abcdef"] }"#)
        #expect(config.api?.tokens == [APIToken(name: "token-1", secret: .literal("0123456789abcdef"))])
        #expect(config.warnings.map(\.key) == ["api.tokens[0]"])
    }

    @Test func tokensMayBeNamedAndBareOnesAreNamedByPosition() throws {
        let api = try #require(try parse("""
            { listen: "127.0.0.1:1", tokens: ["env:A", { name: facilities, token: "env:B" }, "env:C", { token: "env:D", name: it.ops_2 }] }
            """).api)
        #expect(api.tokens == [
            APIToken(name: "token-1", secret: .env("A")), APIToken(name: "facilities", secret: .env("B")),
            APIToken(name: "token-3", secret: .env("C")), APIToken(name: "it.ops_2", secret: .env("D")),
        ])
    }

    @Test func badTokenNamesAreLocatedErrors() {
        let long = String(repeating: "n", count: 65)
        let found = errors("""
            { listen: "127.0.0.1:1", tokens: [
                { name: "a b", token: "env:A" },
                { name: \(long), token: "env:B" },
                { name: facilities },
                { name: x, token: "env:C", role: admin },
                "env:D",
                { name: token-5, token: "env:E" },
                { name: ok, token: "short" } ] }
            """)
        let hint = "a random token of at least 16 visible ASCII characters (openssl rand -hex 32)"
        #expect(found == [
            "/etc/tagway/gw.yaml:5:13: api.tokens[0].name: 'a b' cannot name a token; expected 1 to 64 letters, digits, '.', '_' or '-'",
            "/etc/tagway/gw.yaml:6:13: api.tokens[1].name: the text is 65 characters long; expected at most 64 characters",
            "/etc/tagway/gw.yaml:7:5: api.tokens[2]: a named token needs both name and token; expected { name: facilities, token: \"file:/etc/tagway/facilities-token\" }",
            "/etc/tagway/gw.yaml:8:32: api.tokens[3].role: unknown key; expected one of name, token",
            "/etc/tagway/gw.yaml:10:13: api.tokens[5].name: the token name 'token-5' is used twice (first on line 9); expected a unique name per token (a bare token is named token-N by its position)",
            "/etc/tagway/gw.yaml:11:24: api.tokens[6].token: the token has 5 characters, fewer than 16; expected \(hint)",
        ])
    }

    @Test func unknownPublicEndpointsAndBadLimitsAreLocated() {
        #expect(errors(#"{ listen: "127.0.0.1:1", public: [healthz, events] }"#) == [
            "/etc/tagway/gw.yaml:4:49: api.public[1]: 'events' is not an endpoint that can be public; expected any of healthz, readyz, metrics",
        ])
        let found = errors(#"{ listen: "127.0.0.1:1", maxBodyBytes: 10, maxHeaderBytes: 99999999999, idleTimeout: 0s }"#)
        #expect(found == [
            "/etc/tagway/gw.yaml:4:45: api.maxBodyBytes: 10 is out of range; expected 1024...1073741824",
            "/etc/tagway/gw.yaml:4:65: api.maxHeaderBytes: 99999999999 is out of range; expected 1024...1048576",
            "/etc/tagway/gw.yaml:4:91: api.idleTimeout: '0s' is too short; expected a duration such as 500ms, 10s, 2m, from 1s up to 1h",
        ])
    }

    @Test func tlsFilesAreCheckedWhenTheFileIsRead() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".write(toFile: dir + "/api.pem", atomically: true, encoding: .utf8)
        try "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n".write(toFile: dir + "/api.key", atomically: true, encoding: .utf8)
        try "not a key".write(toFile: dir + "/bad.key", atomically: true, encoding: .utf8)
        chmod(dir + "/api.key", 0o600)
        let config = try parse("{ listen: \"127.0.0.1:1\", tls: { certFile: api.pem, keyFile: api.key } }", in: dir)
        #expect(config.api?.tls?.certFile == dir + "/api.pem")
        #expect(config.api?.tls?.keyFile == dir + "/api.key")
        #expect(config.api?.tls?.location == "\(dir)/gw.yaml:4:36: api.tls")
        #expect(config.warnings.isEmpty)
        #expect(errors("{ listen: \"127.0.0.1:1\", tls: { certFile: nope.pem, keyFile: bad.key } }", in: dir) == [
            "\(dir)/gw.yaml:4:48: api.tls.certFile: \(dir)/nope.pem cannot be read; expected a readable file holding a PEM certificate (-----BEGIN CERTIFICATE-----)",
            "\(dir)/gw.yaml:4:67: api.tls.keyFile: \(dir)/bad.key does not hold a PEM private key (-----BEGIN PRIVATE KEY-----); "
                + "expected a PEM file; convert DER with openssl x509 -inform der (or openssl pkey -inform der)",
        ])
        #expect(errors("{ listen: \"127.0.0.1:1\", tls: { certFile: api.pem } }", in: dir).first?.contains("needs both certFile and keyFile") == true)
        chmod(dir + "/api.key", 0o644)
        let open = try parse("{ listen: \"127.0.0.1:1\", tls: { certFile: api.pem, keyFile: api.key } }", in: dir)
        #expect(open.warnings.map(\.message) == ["the TLS key \(dir)/api.key is readable by every user"])
    }

    @Test func loopbackIsOnlyLoopback() {
        for host in ["127.0.0.1", "127.255.255.254", "localhost", "LOCALHOST", "::1", "[::1]"] {
            #expect(APIConfig.isLoopback(host), "\(host)")
        }
        for host in ["0.0.0.0", "::", "", "127.0.0", "127.0.0.1.5", "127.0.0.256", "1127.0.0.1", "localhost.evil.example", "::ffff:127.0.0.1", "10.0.0.1"] {
            #expect(!APIConfig.isLoopback(host), "\(host)")
        }
    }
}
