import HTTPTypes
import Hummingbird
import NIOCore
import Testing
@testable import TagwayAPI

/// The pure parts of the API's security: which requests a policy lets through, the digest
/// comparison, and which failed authentications get a log line.
@Suite struct APIAccessPolicyTests {
    static let old = "old-token-0123456789"
    static let new = "new-token-abcdefghij"

    @Test func tokensPublicEndpointsAndRotation() {
        let open = APIAccessPolicy()
        #expect(open.decide(path: "/v1/events", authorization: nil) == .allowed("loopback"))
        let both = APIAccessPolicy(tokens: [Self.old, Self.new])
        #expect(both.decide(path: "/v1/events", authorization: "Bearer \(Self.old)") == .allowed("token-1"))
        #expect(both.decide(path: "/v1/events", authorization: "Bearer \(Self.new)") == .allowed("token-2"))
        #expect(both.decide(path: "/v1/events", authorization: "bearer \(Self.new)") == .allowed("token-2"))
        #expect(both.decide(path: "/v1/events", authorization: nil) == .refused(.missing))
        #expect(both.decide(path: "/v1/events", authorization: "Basic dXNlcjpwYXNz") == .refused(.missing))
        #expect(both.decide(path: "/v1/events", authorization: "Bearer ") == .refused(.missing))
        #expect(both.decide(path: "/v1/events", authorization: "Bearer \(Self.new)x") == .refused(.wrong))
        #expect(both.decide(path: "/v1/events", authorization: "Bearer \(Self.new.dropLast())") == .refused(.wrong))
        let rotated = APIAccessPolicy(tokens: [Self.new])
        #expect(rotated.decide(path: "/v1/events", authorization: "Bearer \(Self.old)") == .refused(.wrong))
        #expect(rotated.decide(path: "/healthz", authorization: nil) == .allowed("public"))
        #expect(rotated.decide(path: "/readyz", authorization: nil) == .allowed("public"))
        #expect(rotated.decide(path: "/metrics", authorization: nil) == .refused(.missing))
        #expect(rotated.decide(path: "/healthz/x", authorization: nil) == .refused(.missing))
        let metricsPublic = APIAccessPolicy(tokens: [Self.new], publicEndpoints: [.metrics])
        #expect(metricsPublic.decide(path: "/metrics", authorization: nil) == .allowed("public"))
        #expect(metricsPublic.decide(path: "/healthz", authorization: nil) == .refused(.missing))
    }

    @Test func theMatchedTokenGivesItsNameWhereverItIsInTheList() {
        let named = APIAccessPolicy(named: [("it", Self.old), ("facilities", Self.new), ("spare", "spare-token-0123456789")])
        #expect(named.decide(path: "/v1/config", authorization: "Bearer \(Self.old)") == .allowed("it"))
        #expect(named.decide(path: "/v1/config", authorization: "Bearer \(Self.new)") == .allowed("facilities"))
        #expect(named.decide(path: "/v1/config", authorization: "Bearer spare-token-0123456789") == .allowed("spare"))
        #expect(named.decide(path: "/v1/config", authorization: "Bearer spare-token-012345678") == .refused(.wrong))
        // A rename is a different policy, so a reload that only renames a token puts the new name in force.
        let renamed = APIAccessPolicy(named: [("it", Self.old), ("dock-team", Self.new), ("spare", "spare-token-0123456789")])
        #expect(renamed != named)
        #expect(renamed.decide(path: "/v1/config", authorization: "Bearer \(Self.new)") == .allowed("dock-team"))
    }

    @Test func digestsAreComparedWhole() {
        let a = [UInt8](repeating: 7, count: 32)
        #expect(APIAccessPolicy.equal(a, a) == 1)
        for index in [0, 15, 31] {
            var b = a
            b[index] ^= 0x80
            #expect(APIAccessPolicy.equal(a, b) == 0)
            b[index] ^= 0x81
            #expect(APIAccessPolicy.equal(a, b) == 0)
        }
        #expect(APIAccessPolicy.equal(a, Array(a.prefix(31))) == 0)
    }

    @Test func theStoreSwapsThePolicyWhole() {
        let access = APIAccess(APIAccessPolicy(tokens: [Self.old]))
        access.replace(APIAccessPolicy(tokens: [Self.old, Self.new]))
        #expect(access.current.tokenCount == 2)
        access.replace(APIAccessPolicy(tokens: [Self.new]))
        #expect(access.current.decide(path: "/v1/events", authorization: "Bearer \(Self.old)") == .refused(.wrong))
        #expect(access.current == APIAccessPolicy(tokens: [Self.new]))
    }

    @Test func theFirstFailuresOfAnIntervalAreLoggedThenASummary() {
        var throttle = AuthFailureThrottle(burst: 3, intervalMilliseconds: 60_000)
        #expect(throttle.record(now: 1_000) == .log(unloggedBefore: 0, last: false))
        #expect(throttle.record(now: 1_001) == .log(unloggedBefore: 0, last: false))
        #expect(throttle.record(now: 1_002) == .log(unloggedBefore: 0, last: true))
        for t in 0..<100 { #expect(throttle.record(now: 2_000 + Int64(t)) == .quiet) }
        // The window is measured from its first failure: 61 s is still inside it at 60.999 s.
        #expect(throttle.record(now: 60_999) == .quiet)
        #expect(throttle.record(now: 61_000) == .log(unloggedBefore: 101, last: false))
        #expect(throttle.record(now: 61_001) == .log(unloggedBefore: 0, last: false))
        // A quiet hour, then one failure: a line, and nothing was left out.
        #expect(throttle.record(now: 4_000_000) == .log(unloggedBefore: 0, last: false))
    }

    @Test func theThrottleSurvivesClockExtremes() {
        var throttle = AuthFailureThrottle(burst: 1, intervalMilliseconds: 60_000)
        #expect(throttle.record(now: Int64.max - 10) == .log(unloggedBefore: 0, last: true))
        #expect(throttle.record(now: Int64.max) == .quiet)
        // A clock that went back starts a new window rather than staying silent for ever.
        #expect(throttle.record(now: 0) == .log(unloggedBefore: 1, last: true))
        var tiny = AuthFailureThrottle(burst: 0, intervalMilliseconds: 0)
        #expect(tiny.burst == 1 && tiny.intervalMilliseconds == 1)
        #expect(tiny.record(now: 5) == .log(unloggedBefore: 0, last: true))
    }
}

/// `api.maxBodyBytes` on a request as the router gets it: a declared length is refused at once,
/// a chunked body fails once it has grown past the limit, the audit upload is left to its own.
@Suite struct BodyLimitTests {
    static func request(_ path: String, _ fields: HTTPFields, chunks: [Int]) -> Request {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        for size in chunks { continuation.yield(ByteBuffer(repeating: 0x61, count: size)) }
        continuation.finish()
        return Request(head: HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1", path: path, headerFields: fields),
                       body: RequestBody(asyncSequence: stream))
    }

    static func bytesRead(_ request: Request) async throws -> Int {
        var total = 0
        for try await chunk in request.body { total += chunk.readableBytes }
        return total
    }

    @Test func declaredAndChunkedBodiesPastTheLimitAreRefused() async throws {
        let limit = BodyLimit(maxBytes: 1_000, exemptPaths: BodyLimit.auditPaths)
        var declared = Self.request("/v1/events", [.contentLength: "1001"], chunks: [1_001])
        #expect(throws: APIError.self) { try limit.apply(to: &declared) }
        var fits = Self.request("/v1/events", [.contentLength: "1000"], chunks: [1_000])
        try limit.apply(to: &fits)
        #expect(try await Self.bytesRead(fits) == 1_000)
        var chunked = Self.request("/v1/events", [.transferEncoding: "chunked"], chunks: [600, 600])
        try limit.apply(to: &chunked)
        await #expect(throws: APIError.self) { _ = try await Self.bytesRead(chunked) }
        var smallChunks = Self.request("/v1/events", [.transferEncoding: "chunked"], chunks: [500, 500])
        try limit.apply(to: &smallChunks)
        #expect(try await Self.bytesRead(smallChunks) == 1_000)
        var audit = Self.request("/v1/audits", [.transferEncoding: "chunked"], chunks: [600, 600])
        try limit.apply(to: &audit)
        #expect(try await Self.bytesRead(audit) == 1_200)
        #expect(limit.tooLarge.status == .contentTooLarge)
    }
}
