import Foundation
import NATSServerSupport
import Testing
import TagwayOutbox
import TagwayTestSupport
@testable import TagwaySinks

/// The JetStream sink's logins against servers that require them: user/password (a wrong
/// password is no delivery, with the server's refusal said), a token, an NKey seed (the public
/// key the sink derives is the one the server's configuration names), a `.creds` file on an
/// operator-mode server, TLS with a private CA, and client certificates.
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

    func deliver(_ server: NATSServer, _ login: JetStreamOptions.Login?, caFile: String? = nil,
                 certificate: (cert: String, key: String)? = nil) async -> DeliveryOutcome {
        var options = JetStreamFixture.options([server.url], ackTimeout: .seconds(1))
        options.login = login
        options.caFile = caFile
        options.certFile = certificate?.cert
        options.keyFile = certificate?.key
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
        let outcome = await deliver(server, .nkeySeed(Base32.encode(body)))
        #expect(outcome == .delivered, "seed \(Base32.encode(body)): \(outcome); the server said: \(server.logText)")
    }

    enum SignedLogin: CaseIterable { case nkey, creds }

    /// libnats 3.4.1 sends no signature when its first byte is 0 (one nonce in 256), for an
    /// NKey and for a `.creds` file alike: 600 logins all succeed only if such a connect is tried
    /// again (without the retry, all 600 pass about one time in ten).
    @Test(arguments: SignedLogin.allCases)
    func everySignedLoginSucceedsWhateverTheNonce(_ kind: SignedLogin) async throws {
        let login: JetStreamOptions.Login
        let server: NATSServer
        switch kind {
        case .nkey:
            var body: [UInt8] = [149, 0] + (0..<32).map { _ in UInt8.random(in: 0...255) }
            let crc = CRC16.xmodem(body)
            body += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
            let seed = try #require(NKeySeed(Base32.encode(body)))
            server = try self.server("users: [ { nkey: \(seed.publicKey) } ]")
            login = .nkeySeed(Base32.encode(body))
        case .creds:
            let jwt = NATSJWTFixture()
            server = try self.server(extra: try jwt.serverConfig())
            let path = directory + "/gateway-\(UUID().uuidString.prefix(6)).creds"
            try jwt.creds().write(toFile: path, atomically: true, encoding: .utf8)
            login = .creds(path: path)
        }
        var options = JetStreamFixture.options([server.url], ackTimeout: .seconds(1))
        options.login = login
        var refused: [String] = []
        for _ in 0..<600 {
            do {
                let connection = try NATSConnection(options: options)
                connection.close()
            } catch {
                refused.append(error.description)
            }
        }
        #expect(refused.isEmpty, "\(refused.count) of 600 logins refused: \(refused.first ?? "")")
    }

    /// A `.creds` file is read by Tagway (so its signatures go through `NKeySigner`): a file
    /// that is missing, has no marked sections, or holds no user seed says which and where.
    @Test func credsFilesThatCannotServeSayWhy() throws {
        let jwt = NATSJWTFixture()
        let good = try NATSCredentials(text: try jwt.creds(), source: "gateway.creds")
        #expect(good.jwt.split(separator: ".").count == 3, "the JWT's three parts")
        #expect(good.seed.publicKey.hasPrefix("U"))
        let missing = directory + "/absent.creds"
        #expect(throws: NATSCredentials.Problem.self) { try NATSCredentials(file: missing) }
        do { _ = try NATSCredentials(file: missing) } catch { #expect(error.description.contains(missing)) }
        for (text, says) in [("just a line\n", "no user JWT and seed"),
                             ("-----BEGIN NATS USER JWT-----\neyJ.a.b\n------END NATS USER JWT------\n"
                              + "-----BEGIN USER NKEY SEED-----\nSUNOTASEED\n------END USER NKEY SEED------\n", "not a user NKey seed")] {
            do {
                _ = try NATSCredentials(text: text, source: "x.creds")
                Issue.record("\(text) was taken")
            } catch {
                #expect(error.description.contains(says) && error.description.contains("x.creds"), "\(error)")
            }
        }
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

    /// A server that verifies clients (`verify: true`): the sink's certificate, signed by the
    /// CA the server trusts, is its login; without one it is refused. The CA and both
    /// certificates are made by openssl for this test.
    @Test func clientCertificates() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func openssl(_ arguments: [String]) throws {
            let run = try ExternalCommand.run(["openssl"] + arguments, in: directory)
            #expect(run.status == 0, "\(run.transcript)")
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=tagway-test-ca"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: directory + "/san.ext", atomically: true, encoding: .utf8)
        for (name, ext) in [("server", ["-extfile", "san.ext"]), ("client", [])] {
            try openssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"])
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).pem", "-days", "2"] + ext)
        }
        let server = try server(extra: "tls { cert_file: \"\(directory)/server.pem\", key_file: \"\(directory)/server.key\", "
            + "ca_file: \"\(directory)/ca.pem\", verify: true }")
        #expect(await deliver(server, nil, caFile: directory + "/ca.pem",
                              certificate: (directory + "/client.pem", directory + "/client.key")) == .delivered)
        let anonymous = await deliver(server, nil, caFile: directory + "/ca.pem")
        guard case .retry = anonymous else {
            Issue.record("a server that verifies clients, without a client certificate, gave \(anonymous)")
            return
        }
    }
}
