import Foundation
import Testing

/// `tagway run` and the API's tokens (issue 12): a listen other machines can reach without a
/// token does not start; an `env:` token that is not set does not start; and a SIGHUP rotates
/// `file:` tokens in the running gateway (old + new, then new only).
@Suite(.serialized) struct APITokenRunTests {
    static let devices = SinkConfigTests.devices

    static func writeConfig(_ dir: String, api: String) throws -> String {
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: tokens, dataDir: "\(dir)", devicesDir: "\(devices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(dir)/scanner", readPoint: helpdesk }
            api: \(api)
            """.write(toFile: config + ".new", atomically: false, encoding: .utf8)
        // Replaced whole, as an editor saves: a reload never reads half a file.
        guard rename(config + ".new", config) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return config
    }

    static func exitStatus(_ gateway: GatewayRunner) async -> Int32? {
        let exited = await eventually(attempts: 400) { !gateway.process.isRunning }
        if !exited { gateway.kill9() }
        return exited ? gateway.process.terminationStatus : nil
    }

    /// Writes each token to `<name>.token` (0600), starts `tagway run` with `api: { listen, tokens }`
    /// on a free port and waits for the listener. Returns the runner, the config file and the
    /// `listen:` text a later config rewrite keeps.
    static func start(_ dir: String, tokenFiles: [(name: String, token: String)], tokens: String) async throws
        -> (gateway: GatewayRunner, config: String, listen: String, events: String) {
        for (name, token) in tokenFiles {
            try "\(token)\n".write(toFile: "\(dir)/\(name).token", atomically: true, encoding: .utf8)
            chmod("\(dir)/\(name).token", 0o600)
        }
        let port = Fixture.freePort()
        let listen = "listen: \"127.0.0.1:\(port)\""
        let config = try writeConfig(dir, api: "{ \(listen), tokens: \(tokens) }")
        let gateway = try GatewayRunner(["run", "--config", config], errorFile: dir + "/stderr.log")
        #expect(await eventually { gateway.errors.contains("pull API listening on") }, "\(gateway.errors)")
        return (gateway, config, listen, "http://127.0.0.1:\(port)/v1/events")
    }

    @Test func aNetworkListenWithoutATokenDoesNotStart() async throws {
        let dir = Fixture.temporaryDirectory("api-open")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try Self.writeConfig(dir, api: #"{ listen: "0.0.0.0:\#(Fixture.freePort())" }"#)
        let gateway = try GatewayRunner(["run", "--config", config], errorFile: dir + "/stderr.log")
        #expect(await Self.exitStatus(gateway) == 2)
        #expect(gateway.errors.contains("\(config):4:16: api.listen: the pull API would listen on 0.0.0.0:"), "\(gateway.errors)")
        #expect(gateway.errors.contains("which other machines can reach, with no api.tokens"), "\(gateway.errors)")
        #expect(!gateway.errors.contains("pull API listening"))
    }

    @Test func anEnvTokenThatIsNotSetDoesNotStart() async throws {
        let dir = Fixture.temporaryDirectory("api-env")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try Self.writeConfig(dir, api: #"{ listen: "0.0.0.0:\#(Fixture.freePort())", tokens: ["env:TAGWAY_TEST_NO_SUCH_TOKEN"] }"#)
        let gateway = try GatewayRunner(["run", "--config", config], errorFile: dir + "/stderr.log")
        #expect(await Self.exitStatus(gateway) == 2)
        #expect(gateway.errors.contains("cannot start: api.tokens: env:TAGWAY_TEST_NO_SUCH_TOKEN is not set in the environment"), "\(gateway.errors)")
        let short = try GatewayRunner(["run", "--config", config], environment: ["TAGWAY_TEST_NO_SUCH_TOKEN": "short"], errorFile: dir + "/short.log")
        #expect(await Self.exitStatus(short) == 2)
        #expect(short.errors.contains("env:TAGWAY_TEST_NO_SUCH_TOKEN is not usable: the token has 5 characters, fewer than 16"), "\(short.errors)")
    }

    @Test func aReloadRotatesFileTokens() async throws {
        let dir = Fixture.temporaryDirectory("api-rotate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (old, new) = ("old-token-0123456789", "new-token-abcdefghij")
        let (gateway, _, listen, events) = try await Self.start(dir, tokenFiles: [("old", old), ("new", new)],
                                                                tokens: "[\"file:old.token\"]")
        defer { gateway.stop() }
        func status(_ token: String?) async throws -> Int {
            try await fetch(events, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? []).status
        }
        #expect(try await status(old) == 200)
        #expect(try await status(new) == 401)
        #expect(try await status(nil) == 401)

        _ = try Self.writeConfig(dir, api: "{ \(listen), tokens: [\"file:old.token\", \"file:new.token\"] }")
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await eventually { (try? await status(new)) == 200 }, "\(gateway.errors)")
        #expect(try await status(old) == 200)
        #expect(gateway.errors.contains("pull API now accepts 2 token(s) (token-1, token-2); public: healthz, readyz"), "\(gateway.errors)")

        _ = try Self.writeConfig(dir, api: "{ \(listen), tokens: [\"file:new.token\"] }")
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await eventually { (try? await status(old)) == 401 }, "\(gateway.errors)")
        #expect(try await status(new) == 200)

        // A token file emptied by mistake fails the reload; the running token keeps working.
        try "".write(toFile: "\(dir)/new.token", atomically: true, encoding: .utf8)
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await eventually { gateway.errors.contains("configuration reload (SIGHUP) failed") }, "\(gateway.errors)")
        #expect(try await status(new) == 200)
        #expect(gateway.process.isRunning)
    }

    @Test func aReloadRenamesANamedTokenAndKeepsItWorking() async throws {
        let dir = Fixture.temporaryDirectory("api-rename")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let token = "facilities-token-0123456789"
        let (gateway, config, listen, events) = try await Self.start(
            dir, tokenFiles: [("facilities", token)], tokens: "[{ name: facilities, token: \"file:facilities.token\" }]")
        defer { gateway.stop() }
        #expect(try await fetch(events, headers: [("Authorization", "Bearer \(token)")]).status == 200)

        _ = try Self.writeConfig(dir, api: "{ \(listen), tokens: [{ name: dock-team, token: \"file:facilities.token\" }] }")
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await eventually { gateway.errors.contains("pull API now accepts 1 token(s) (dock-team)") }, "\(gateway.errors)")
        #expect(try await fetch(events, headers: [("Authorization", "Bearer \(token)")]).status == 200)

        // A duplicate name fails the reload with its line; the running token and name stay.
        _ = try Self.writeConfig(dir, api: "{ \(listen), tokens: [{ name: a, token: \"file:facilities.token\" }, { name: a, token: \"env:X\" }] }")
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await eventually { gateway.errors.contains("configuration reload (SIGHUP) failed") }, "\(gateway.errors)")
        #expect(gateway.errors.contains("\(config):4:"), "\(gateway.errors)")
        #expect(gateway.errors.contains("api.tokens[1].name: the token name 'a' is used twice (first on line 4)"), "\(gateway.errors)")
        #expect(try await fetch(events, headers: [("Authorization", "Bearer \(token)")]).status == 200)
    }
}
