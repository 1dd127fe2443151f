import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The configuration, read and changed over the API (the console's Configure page):
///
/// - `GET /v1/config`: the file's text, its etag, the configuration in force, the backups.
/// - `POST /v1/config/check`: the body (YAML) checked as `tagway check-config` checks the file:
///   200 `{"ok":true,…}` or 422 with every error located. Nothing is written.
/// - `PUT /v1/config`: checked the same way (422, nothing written), `If-Match` compared with the
///   file's etag (412), then written atomically with a numbered backup and reloaded as on SIGHUP.
///
/// The body must be `application/yaml` (or `text/yaml`, `application/x-yaml`): 415 otherwise. A
/// browser cannot send those types to another site without a CORS preflight, which this API does
/// not answer, so a web page elsewhere cannot post a configuration to a loopback gateway.
struct ConfigRoutes: Sendable {
    /// The largest configuration body: the loader's own limit (1 MiB) plus one byte, so a larger
    /// text is refused with the loader's words rather than cut.
    static let maxBodyBytes = (1 << 20) + 1
    static let mediaTypes: Set<String> = ["application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml"]

    let endpoint: any ConfigEndpoint

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/config") { _, _ in try await self.view() }
        router.post("/v1/config/check") { request, _ in try await self.check(request) }
        router.put("/v1/config") { request, _ in try await self.apply(request) }
    }

    func view() async throws -> Response {
        let view: ConfigView
        do {
            view = try await endpoint.current()
        } catch {
            throw Self.apiError(error)
        }
        var headers = HTTPFields()
        headers[.eTag] = ConfigETag.of(view.bytes)
        headers[.cacheControl] = "no-store"
        return Self.json(.ok, view.json, headers: headers)
    }

    func check(_ request: Request) async throws -> Response {
        let body = try await Self.body(request)
        let outcome = await endpoint.check(body)
        switch outcome {
        case .valid: return Self.json(.ok, outcome.json)
        case .invalid: return Self.json(.unprocessableContent, outcome.json)
        }
    }

    func apply(_ request: Request) async throws -> Response {
        let body = try await Self.body(request)
        let by = request.headers[.tagwayTokenName] ?? "?"
        let client = request.headers[.tagwayClientAddress] ?? "?"
        do {
            let applied = try await endpoint.apply(body, ifMatch: request.headers[.ifMatch], by: by, client: client)
            var headers = HTTPFields()
            headers[.eTag] = applied.etag
            return Self.json(.ok, applied.json, headers: headers)
        } catch .invalid(let outcome) {
            return Self.json(.unprocessableContent, outcome.json)
        } catch {
            throw Self.apiError(error)
        }
    }

    static func apiError(_ error: ConfigApplyError) -> APIError {
        switch error {
        case .invalid(let outcome):
            return APIError(.unprocessableContent, "the configuration has errors", detail: "\(outcome)")
        case .stale(let current):
            var headers = HTTPFields()
            headers[.eTag] = current
            return APIError(.preconditionFailed, "the configuration file changed since it was read",
                            detail: "If-Match does not match the file's etag \(current); read it again (GET /v1/config)",
                            headers: headers)
        case .file(let reason):
            return APIError(.internalServerError, "the configuration file cannot be written; nothing was applied", detail: reason)
        }
    }

    /// The YAML body, after its type is checked (415) and its size bounded (413).
    static func body(_ request: Request) async throws -> Data {
        let type = request.headers[.contentType]
        let mediaType = type?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaTypes.contains(mediaType) else {
            throw APIError(.unsupportedMediaType, "the configuration must be sent as application/yaml",
                           detail: "Content-Type: \(type.map { String($0.prefix(200)) } ?? "(none)")")
        }
        let tooLarge = APIError(.contentTooLarge, "the configuration is larger than 1 MiB", detail: "the file may hold at most 1048576 bytes")
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBodyBytes { throw tooLarge }
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }
}
