import AsyncHTTPClient
import Foundation
import Logging
import MetricsTestKit
import NIOCore
import NIOSSL
import Testing
import TagwayAPI
import TagwayAudit
import TagwayEventLog
import TagwayModel
import TagwayTestSupport

/// The pull API's security on a real server on 127.0.0.1 (issue 12): bearer tokens and their
/// rotation, public endpoints, the SSE stream, failed authentications counted and logged with
/// the client's address, HTTPS, and the body, head and idle limits.
@Suite(.serialized) struct APISecurityTests {
    static let old = "old-token-0123456789"
    static let new = "new-token-abcdefghij"

    struct Server {
        let log: EventLog
        let listener: APIListener
        let dir: String
        var base: String { "http://127.0.0.1:\(listener.port)" }

        init(_ options: APIOptions, logger: Logger = LogRecorder().logger(level: .critical), audit: AuditEndpoint? = nil,
             events: Int = 3) async throws {
            dir = Fixture.temporaryDirectory("api-security")
            log = try EventLog(directory: dir, durability: .normal)
            _ = try await Fixture.fill(log, count: events)
            listener = try await APIServer(log: log, host: "127.0.0.1", port: 0, logger: logger, audit: audit, options: options).listen()
        }

        func stop() {
            listener.stop()
            try? log.close()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    static func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }

    @Test func missingWrongAndOldTokensAreRefusedAndTheRotatedOneAccepted() async throws {
        let access = APIAccess(APIAccessPolicy(tokens: [Self.old]))
        let server = try await Server(APIOptions(access: access))
        defer { server.stop() }
        let events = server.base + "/v1/events"
        #expect(try await fetch(events, headers: Self.bearer(Self.old)).status == 200)
        let missing = try await fetch(events)
        #expect(missing.status == 401)
        #expect(missing.headers["www-authenticate"] == "Bearer realm=\"tagway\"")
        #expect(missing.object?["error"] as? String == "a bearer token is required")
        let wrong = try await fetch(events, headers: Self.bearer(Self.new))
        #expect(wrong.status == 401)
        #expect(wrong.headers["www-authenticate"] == "Bearer realm=\"tagway\", error=\"invalid_token\"")
        #expect(!wrong.body.contains("seq"), "no event leaks in a refusal")
        // Rotation: both tokens for a while, then the new one only.
        access.replace(APIAccessPolicy(tokens: [Self.old, Self.new]))
        #expect(try await fetch(events, headers: Self.bearer(Self.old)).status == 200)
        #expect(try await fetch(events, headers: Self.bearer(Self.new)).status == 200)
        access.replace(APIAccessPolicy(tokens: [Self.new]))
        #expect(try await fetch(events, headers: Self.bearer(Self.old)).status == 401)
        let page = try await fetch(events, headers: Self.bearer(Self.new))
        #expect(page.status == 200)
        #expect(page.body.contains("\"seq\":3"))
        // An unknown path says nothing to a stranger: 401, not 404.
        #expect(try await fetch(server.base + "/v1/nothing-here").status == 401)
        #expect(try await fetch(server.base + "/v1/nothing-here", headers: Self.bearer(Self.new)).status == 404)
    }

    @Test func publicEndpointsPassWithoutATokenAndMetricsOnlyWhenListed() async throws {
        let access = APIAccess(APIAccessPolicy(tokens: [Self.new]))
        let server = try await Server(APIOptions(access: access))
        defer { server.stop() }
        // Whatever serves /healthz and /readyz (404 until those routes exist), the token check lets them through.
        #expect(try await fetch(server.base + "/healthz").status != 401)
        #expect(try await fetch(server.base + "/readyz").status != 401)
        #expect(try await fetch(server.base + "/metrics").status == 401)
        #expect(try await fetch(server.base + "/metrics", headers: Self.bearer(Self.new)).status != 401)
        access.replace(APIAccessPolicy(tokens: [Self.new], publicEndpoints: [.metrics]))
        #expect(try await fetch(server.base + "/metrics").status != 401)
        #expect(try await fetch(server.base + "/healthz").status == 401)
    }

    @Test func theEventStreamNeedsTheTokenToo() async throws {
        let server = try await Server(APIOptions(access: APIAccess(APIAccessPolicy(tokens: [Self.new]))))
        defer { server.stop() }
        let stream = server.base + "/v1/events/stream"
        let refused = SSEClient(url: stream, client: wideClient)
        defer { refused.cancel() }
        #expect(await eventually { refused.hasEnded })
        #expect(refused.status == 401)
        #expect(refused.frameCount == 0)
        let accepted = SSEClient(url: stream, headers: Self.bearer(Self.new), client: wideClient)
        defer { accepted.cancel() }
        #expect(await eventually { accepted.lastID == 3 })
        #expect(accepted.status == 200)
    }

    @Test func failedAuthenticationsAreCountedAndLoggedWithTheClientAddressRateLimited() async throws {
        let metrics = TestMetrics()
        let recorder = LogRecorder()
        let options = APIOptions(access: APIAccess(APIAccessPolicy(tokens: [Self.new])), metrics: metrics, failureLogBurst: 2)
        let server = try await Server(options, logger: recorder.logger(level: .warning))
        defer { server.stop() }
        for _ in 0..<3 { #expect(try await fetch(server.base + "/v1/events").status == 401) }
        for _ in 0..<4 { #expect(try await fetch(server.base + "/v1/events", headers: Self.bearer(Self.old)).status == 401) }
        #expect(try await fetch(server.base + "/v1/events", headers: Self.bearer(Self.new)).status == 200)
        #expect(try metrics.expectCounter("tagway_api_auth_failures_total", [("reason", "missing")]).totalValue == 3)
        #expect(try metrics.expectCounter("tagway_api_auth_failures_total", [("reason", "wrong")]).totalValue == 4)
        let lines = recorder.text.split(separator: "\n").filter { $0.contains("pull API: refused") }
        #expect(lines.count == 2, "\(recorder.text)")
        #expect(lines.first?.hasPrefix("warning pull API: refused /v1/events from 127.0.0.1:") == true, "\(recorder.text)")
        #expect(lines.first?.hasSuffix(": no bearer token") == true, "\(recorder.text)")
        #expect(lines.last?.contains("further failures in the next 60 s are counted in tagway_api_auth_failures_total, not logged") == true)
        #expect(!recorder.text.contains(Self.old), "a presented token is never logged")
    }

    @Test func httpsRoundTripWithTheToken() async throws {
        let tlsDir = WebhookTLSTests.tlsDirectory
        let options = APIOptions(access: APIAccess(APIAccessPolicy(tokens: [Self.new])),
                                 tls: .init(certFile: tlsDir + "/server.pem", keyFile: tlsDir + "/server.key"))
        let server = try await Server(options)
        defer { server.stop() }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(tlsDir + "/ca.pem")
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        let url = "https://127.0.0.1:\(server.listener.port)/v1/events"
        let page = try? await fetch(url, headers: Self.bearer(Self.new), client: client)
        let refused = try? await fetch(url, client: client)
        try await client.shutdown()
        #expect(page?.status == 200)
        #expect(page?.body.contains("\"seq\":3") == true)
        #expect(refused?.status == 401)
        // Plain HTTP on the HTTPS port gets no events.
        let plain = try? await fetch(server.base + "/v1/events", headers: Self.bearer(Self.new))
        #expect(plain?.status != 200)
    }

    @Test func unusableTLSFilesFailTheListenNamingTheFile() async throws {
        let tlsDir = WebhookTLSTests.tlsDirectory
        let dir = Fixture.temporaryDirectory("api-tls-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n".write(toFile: dir + "/bad.key", atomically: true, encoding: .utf8)
        let log = try EventLog(directory: dir, durability: .normal)
        defer { try? log.close() }
        let options = APIOptions(tls: .init(certFile: tlsDir + "/server.pem", keyFile: dir + "/bad.key", location: "/etc/tagway/gw.yaml:9:8: api.tls"))
        let server = APIServer(log: log, host: "127.0.0.1", port: 0, logger: LogRecorder().logger(level: .critical), options: options)
        do {
            let listener = try await server.listen()
            listener.stop()
            Issue.record("a server started with an unusable key")
        } catch {
            #expect("\(error)".hasPrefix("/etc/tagway/gw.yaml:9:8: api.tls: pull API cannot serve HTTPS: keyFile \(dir)/bad.key is not a usable PEM private key"),
                    "\(error)")
        }
    }

    @Test func aDeclaredBodyPastTheLimitIs413AndTheAuditUploadKeepsItsOwnLimit() async throws {
        let audit = AuditEndpoint(settings: AuditAPITests.settings, gatewayID: "gw", clock: { AuditAPITests.now })
        let server = try await Server(APIOptions(maxBodyBytes: 1_024), audit: audit)
        defer { server.stop() }
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 4_096)
        let refused = try await AuditAPITests.post(server.base + "/v1/events", big, contentType: "application/octet-stream")
        #expect(refused.status == 413)
        #expect(refused.object?["detail"] as? String == "api.maxBodyBytes")
        var csv = "Asset Tag,Name,Location\n"
        while csv.utf8.count < 4_096 { csv += "LAP-\(csv.utf8.count),Laptop,HQ Storage Room 2\n" }
        let upload = try await AuditAPITests.post(server.base + "/v1/audits", Array(csv.utf8), contentType: "text/csv")
        #expect(upload.status == 200, "\(upload.body.prefix(300))")
    }

    @Test func aHeadPastTheLimitIsRefusedAndOneWithinItServed() async throws {
        let server = try await Server(APIOptions(maxHeaderBytes: 4_096))
        defer { server.stop() }
        let within = try await fetch(server.base + "/v1/events", headers: [("X-Padding", String(repeating: "a", count: 2_000))])
        #expect(within.status == 200)
        // Hummingbird answers a head NIO's decoder refuses with 400 and closes the connection.
        let past = try? await fetch(server.base + "/v1/events", headers: [("X-Padding", String(repeating: "a", count: 8_000))])
        #expect(past?.status == 400)
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let server = try await Server(APIOptions(idleTimeout: .seconds(1)))
        defer { server.stop() }
        // On a thread of its own: the wait blocks (see `onOwnThread`).
        let port = server.listener.port
        let got = await onOwnThread { () -> Int in
            guard let fd = GatewayAPIStartTests.connect(port) else { return -2 }
            defer { close(fd) }
            // A bound on the wait only, so a server that never closes fails the test instead of hanging it.
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = "GET /v1/ev".withCString { send(fd, $0, 10, 0) }
            var byte: UInt8 = 0
            return recv(fd, &byte, 1, 0)
        }
        #expect(got == 0, "the server closed the half-sent request's connection (recv \(got); -2: no connection)")
    }
}
