import HTTPTypes
import Hummingbird
import NIOCore

/// `api.maxBodyBytes`: a body declared larger is refused with 413 before a byte of it is read;
/// a chunked body (no length given) fails with 413 once it grows past the limit, when a route
/// reads it. Routes with a limit of their own (an audit upload: `audit.maxUploadBytes`) are exempt.
struct BodyLimit: Sendable {
    let maxBytes: Int
    let exemptPaths: Set<String>

    static let auditPaths: Set<String> = ["/v1/audits"]

    func apply(to request: inout Request) throws(APIError) {
        guard !exemptPaths.contains(request.uri.path) else { return }
        if let declared = request.headers[.contentLength] {
            // A length that does not parse is NIO's to refuse; one too large to be an Int is too large.
            guard let bytes = Int(declared), bytes <= maxBytes else { throw tooLarge }
            return
        }
        guard request.headers[.transferEncoding] != nil else { return }
        request.body = RequestBody(asyncSequence: LimitedBody(base: request.body, maxBytes: maxBytes, tooLarge: tooLarge))
    }

    var tooLarge: APIError {
        APIError(.contentTooLarge, "the request body is larger than \(maxBytes) bytes", detail: "api.maxBodyBytes")
    }
}

/// A request body that throws once more than `maxBytes` have come through.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let maxBytes: Int
    let tooLarge: APIError

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let maxBytes: Int
        let tooLarge: APIError
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            seen = seen > maxBytes ? seen : seen + chunk.readableBytes
            if seen > maxBytes { throw tooLarge }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), maxBytes: maxBytes, tooLarge: tooLarge)
    }
}
