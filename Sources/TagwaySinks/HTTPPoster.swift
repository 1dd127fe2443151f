import AsyncHTTPClient
import Foundation
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
    }

    let client: HTTPClient
    let timeout: Duration

    /// `caFile`: PEM certificates trusted instead of the system roots. Certificates and host
    /// names are always verified.
    public init(caFile: String? = nil, timeout: Duration = .seconds(10)) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
        var config = HTTPClient.Configuration(tlsConfiguration: tls)
        config.timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(timeout.wholeMilliseconds),
                                                          read: .milliseconds(timeout.wholeMilliseconds))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
        self.timeout = timeout
    }

    /// Sends the request; a network error or timeout is a `Response`-less failure message.
    public func send(url: String, headers: [(String, String)], body: String?) async -> Result<Response, HTTPFailure> {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeout.wholeMilliseconds))
            let data = try await response.body.collect(upTo: 1 << 20)
            return .success(Response(status: Int(response.status.code), retryAfter: response.headers.first(name: "retry-after"),
                                     body: String(buffer: data)))
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
        try? await client.shutdown()
    }
}

public struct HTTPFailure: Error, Sendable {
    public var message: String
}
