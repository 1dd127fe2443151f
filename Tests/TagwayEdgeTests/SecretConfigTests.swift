import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// Sink secrets come from `env:NAME` or `file:/path`; a secret written in the file works but is
/// warned about, as is a secret file every user can read.
@Suite struct SecretConfigTests {
    func load(_ secret: String, in dir: String) throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: /tmp/x }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a }
            sinks:
              - { id: hook, webhook: { url: "https://x.example/h", secret: "\(secret)" } }
            """, file: dir + "/gw.yaml", devicesDir: repositoryDevices)
    }

    func secret(_ config: GatewayConfig) -> SecretRef? {
        guard case .webhook(let hook) = config.sinks.first?.kind else { return nil }
        return hook.secret
    }

    @Test func aFileSecretIsReadFromItsFirstLine() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "s3cret\nsecond line\n".write(toFile: dir + "/hook.key", atomically: true, encoding: .utf8)
        chmod(dir + "/hook.key", 0o600)
        let config = try load("file:hook.key", in: dir)
        #expect(secret(config) == .file(dir + "/hook.key"))
        #expect(secret(config)?.resolve([:]) == "s3cret")
        #expect(config.warnings.isEmpty)
        #expect(secret(config)?.description == "file:\(dir)/hook.key")
    }

    @Test func aSecretFileOthersCanReadIsWarnedAbout() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "s3cret".write(toFile: dir + "/hook.key", atomically: true, encoding: .utf8)
        chmod(dir + "/hook.key", 0o644)
        let config = try load("file:\(dir)/hook.key", in: dir)
        #expect(config.warnings.map(\.description) == [
            "\(dir)/gw.yaml:5:64: sinks[0].webhook.secret: secret file \(dir)/hook.key is readable by every user; expected chmod 0640 (or 0600) \(dir)/hook.key",
        ])
    }

    @Test func aMissingSecretFileIsAnError() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            _ = try load("file:/nonexistent/key", in: dir)
        } throws: { error in
            (error as? ConfigErrors)?.description == "\(dir)/gw.yaml:5:64: sinks[0].webhook.secret: secret file /nonexistent/key cannot be read; "
                + "expected a readable file whose first line is the secret"
        }
    }

    @Test func aLiteralSecretIsWarnedAboutAndEnvIsNot() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let literal = try load("hunter2", in: dir)
        #expect(literal.warnings.map(\.description) == [
            "\(dir)/gw.yaml:5:64: sinks[0].webhook.secret: a secret is written in the configuration file; "
                + "expected env:VARIABLE_NAME or file:/etc/tagway/secret, so the file can be shared without it",
        ])
        #expect(literal.warnings.first?.description.contains("hunter2") == false)
        #expect(try load("env:HOOK_SECRET", in: dir).warnings.isEmpty)
    }
}
