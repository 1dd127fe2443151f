import HTTPTypes
import Hummingbird
import NIOCore

/// The request context of the pull API's server: what the routes get (a `BasicRequestContext`,
/// so every route group keeps its signature) plus the client's address, which only the
/// connection knows and which a failed authentication is logged with.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The context the router's routes take, for the same connection and request logger.
    var basic: BasicRequestContext { BasicRequestContext(source: .init(channel: channel, logger: logger)) }

    /// `ip:port` of the client, or `?` when the connection no longer has one.
    var clientAddress: String {
        guard let address = channel.remoteAddress else { return "?" }
        if let ip = address.ipAddress { return address.protocol == .inet6 ? "[\(ip)]:\(address.port ?? 0)" : "\(ip):\(address.port ?? 0)" }
        return address.description
    }
}

/// Wraps the whole router: a request without a valid bearer token gets 401 before any route
/// (or an unknown path's 404, which would tell a stranger what exists) runs; then the body
/// limit; then the router, with its own context.
struct BearerAuth<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    typealias Context = APIRequestContext

    let inner: Inner
    let access: APIAccess
    let failures: AuthFailureReporter
    let bodyLimit: BodyLimit

    func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        var request = request
        switch access.current.decide(path: request.uri.path, authorization: request.headers[.authorization]) {
        case .allowed(let name):
            // Set here only: a client cannot claim a name (or an address) by sending the header.
            var head = request.head
            head.headerFields[values: .tagwayTokenName] = [name]
            head.headerFields[values: .tagwayClientAddress] = [context.clientAddress]
            request = Request(head: head, body: request.body)
        case .refused(let refusal):
            failures.failed(refusal, client: context.clientAddress, path: request.uri.path)
            return try Self.unauthorized(refusal).response(from: request, context: context)
        }
        do {
            try bodyLimit.apply(to: &request)
        } catch {
            return try error.response(from: request, context: context)
        }
        return try await inner.respond(to: request, context: context.basic)
    }

    /// 401 with the challenge RFC 6750 §3 asks for; a wrong token also says `invalid_token`.
    static func unauthorized(_ refusal: APIAccessPolicy.Refusal) -> APIError {
        var headers = HTTPFields()
        switch refusal {
        case .missing:
            headers[.wwwAuthenticate] = "Bearer realm=\"tagway\""
            return APIError(.unauthorized, "a bearer token is required", detail: "send Authorization: Bearer <token> (api.tokens)",
                            headers: headers)
        case .wrong:
            headers[.wwwAuthenticate] = "Bearer realm=\"tagway\", error=\"invalid_token\""
            return APIError(.unauthorized, "the bearer token is not accepted", detail: "Authorization", headers: headers)
        }
    }
}

extension HTTPField.Name {
    /// The name of the token a request was let in with (`api.tokens`), for the routes that log who did what.
    public static let tagwayTokenName = Self("Tagway-Token-Name")!  // force-unwrap-ok: a literal, valid field name
    /// The client's `ip:port`, which only the connection knows and the routes' context does not carry.
    public static let tagwayClientAddress = Self("Tagway-Client-Address")!  // force-unwrap-ok: a literal, valid field name
}
