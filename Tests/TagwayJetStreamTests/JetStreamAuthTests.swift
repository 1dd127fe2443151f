import Foundation
import NATSServerSupport
import Testing
import TagwayOutbox
@testable import TagwaySinks

/// The JetStream sink's logins against servers that require them: user/password (a wrong
/// password is no delivery, with the server's refusal said), a token, and an NKey seed (the
/// public key the sink derives is the one the server's configuration names).
@Suite(.serialized, .enabled(if: NATSServer.available, "nats-server is not installed (.ci/install-deps installs it)"))
final class JetStreamAuthTests {
    var servers: [NATSServer] = []
    let directory = NSTemporaryDirectory() + "tagway-jetstream-auth-\(UUID().uuidString.prefix(8))"

    deinit {
        servers.forEach { $0.kill() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The forwarding tests' TLS material: a private CA and a certificate for 127.0.0.1.
    static let tls = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TagwayForwardingTests/TLS").path

    func server(_ authorization: String) throws -> NATSServer {
        try server(extra: "authorization { \(authorization) }")
    }

    func server(extra: String) throws -> NATSServer {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = NATSServer(directory: directory, extra: extra)
        servers.append(server)
        try server.start()
        return server
    }

    func deliver(_ server: NATSServer, _ login: JetStreamOptions.Login?, caFile: String? = nil) async -> DeliveryOutcome {
        var options = JetStreamFixture.options([server.url], ackTimeout: .seconds(1))
        options.login = login
        options.caFile = caFile
        let sink = JetStreamSink(id: "js", options: options)
        let outcome = await sink.deliver([JetStreamFixture.event(0)])
        await sink.shutdown()
        return outcome
    }

    @Test func userAndPassword() async throws {
        let server = try server("user: tagway, password: s3cret")
        #expect(await deliver(server, .user(name: "tagway", password: "s3cret")) == .delivered)
        let refused = await deliver(server, .user(name: "tagway", password: "wrong"))
        guard case .retry(let reason, _) = refused else {
            Issue.record("a wrong password gave \(refused)")
            return
        }
        #expect(reason.lowercased().contains("authorization"), "\(reason)")
    }

    @Test func token() async throws {
        let server = try server("token: t0ken")
        #expect(await deliver(server, .token("t0ken")) == .delivered)
    }

    @Test func nkeySeed() async throws {
        // A fresh user seed: prefix 'S' + type 'U', 32 random bytes, CRC-16 (little-endian).
        var body: [UInt8] = [149, 0] + (0..<32).map { _ in UInt8.random(in: 0...255) }
        let crc = CRC16.xmodem(body)
        body += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        let seed = try #require(NKeySeed(Base32.encode(body)))
        #expect(seed.publicKey.hasPrefix("U") && seed.publicKey.count == 56)
        #expect(NKeySeed("SUNOTASEED") == nil)
        let server = try server("users: [ { nkey: \(seed.publicKey) } ]")
        #expect(server.isRunning, "the server took the derived public key")
        #expect(await deliver(server, .nkeySeed(Base32.encode(body))) == .delivered)
    }

    @Test func credsFileOfAnOperatorModeServer() async throws {
        let jwt = NATSJWTFixture()
        let server = try server(extra: try jwt.serverConfig())
        #expect(server.isRunning, "the server took the operator and account JWTs: \(server.logText)")
        let creds = directory + "/gateway.creds"
        try jwt.creds().write(toFile: creds, atomically: true, encoding: .utf8)
        #expect(await deliver(server, .creds(path: creds)) == .delivered)
        let refused = await deliver(server, nil)
        guard case .retry = refused else {
            Issue.record("an operator-mode server without credentials gave \(refused)")
            return
        }
    }

    @Test func tlsWithAPrivateCA() async throws {
        let server = try server(extra: "tls { cert_file: \"\(Self.tls)/server.pem\", key_file: \"\(Self.tls)/server.key\" }")
        #expect(await deliver(server, nil, caFile: Self.tls + "/ca.pem") == .delivered)
        let untrusted = await deliver(server, nil)
        guard case .retry = untrusted else {
            Issue.record("a server that requires TLS, without TLS, gave \(untrusted)")
            return
        }
    }
}
