import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import TagwayModel
import TagwayOutbox

/// One HTTP client per sink, with its own TLS trust (system roots, or a custom CA file) and
/// timeout; every HTTP sink posts through it and gets a `DeliveryOutcome` back.
public final class HTTPPoster: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var retryAfter: String?
        public var body: String
        /// `X-RateLimit-Remaining` (Laravel's throttle, so Snipe-IT's): requests left in the
        /// store's window; nil when absent or not a number.
        public var rateLimitRemaining: Int? = nil
    }

    let configuration: HTTPClient.Configuration
    let timeout: Duration
    /// Created on the first request, so a gateway that fails to start (a later sink's bad
    /// configuration) never leaves a client that was not shut down.
    private let client = NIOLockedValueBox<HTTPClient?>(nil)

    /// `caFile`: PEM certificates trusted instead of the system roots. Certificates and host
    /// names are always verified.
    public init(caFile: String? = nil, timeout: Duration = .seconds(10)) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
        var config = HTTPClient.Configuration(tlsConfiguration: tls)
        config.timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(timeout.wholeMilliseconds),
                                                          read: .milliseconds(timeout.wholeMilliseconds))
        configuration = config
        self.timeout = timeout
    }

    private var httpClient: HTTPClient {
        client.withLockedValue { client in
            if let client { return client }
            let made = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            client = made
            return made
        }
    }

    /// Sends the request; a network error or timeout is a `Response`-less failure message.
    public func send(url: String, headers: [(String, String)], body: String?) async -> Result<Response, HTTPFailure> {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        do {
            let response = try await httpClient.execute(request, timeout: .milliseconds(timeout.wholeMilliseconds))
            let data = try await response.body.collect(upTo: 1 << 20)
            let remaining = response.headers.first(name: "x-ratelimit-remaining").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return .success(Response(status: Int(response.status.code), retryAfter: response.headers.first(name: "retry-after"),
                                     body: String(buffer: data), rateLimitRemaining: remaining))
        } catch {
            return .failure(HTTPFailure(message: "\(error)"))
        }
    }

    /// Posts and classifies: 2xx delivered, 409 already, 429/5xx/network retry, other 4xx rejected.
    public func deliver(url: String, headers: [(String, String)], body: String, now: Timestamp) async -> DeliveryOutcome {
        switch await send(url: url, headers: headers, body: body) {
        case .success(let response):
            return HTTPDeliveryClassifier.outcome(status: response.status, retryAfter: response.retryAfter,
                                                  body: response.body, now: now)
        case .failure(let failure):
            return .retry(reason: failure.message, after: nil)
        }
    }

    public func shutdown() async {
        let made = client.withLockedValue { client in
            defer { client = nil }
            return client
        }
        try? await made?.shutdown()
    }
}

public struct HTTPFailure: Error, Sendable {
    public var message: String
}
