import HTTPTypes
import Hummingbird

/// Answers a request for a path the API has, with a method that path does not take, with 405
/// and `Allow` (RFC 9110 §15.5.6), before the router would answer 404: a client that sends
/// `PUT /v1/events` learns that the method is wrong, not that the endpoint is missing.
///
/// The table is the router's own list of routes, read once when the server starts, so it
/// cannot drift from what is served.
struct MethodCheck<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    typealias Context = BasicRequestContext

    struct Route: Sendable {
        var components: [RouterPath.Element]
        var method: HTTPRequest.Method
    }

    let inner: Inner
    let routes: [Route]

    init(router: Router<BasicRequestContext>) where Inner == RouterResponder<BasicRequestContext> {
        inner = router.buildResponder()
        routes = router.routes.map { Route(components: Array($0.path.components), method: $0.method) }
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let allowed = methods(for: request.uri.path)
        guard allowed.isEmpty || allowed.contains(request.method) else {
            var headers = HTTPFields()
            headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return try APIError(.methodNotAllowed, "\(request.method.rawValue.prefix(20)) is not a method of this endpoint",
                                detail: "Allow: \(headers[.allow] ?? "")", headers: headers)
                .response(from: request, context: context)
        }
        return try await inner.respond(to: request, context: context)
    }

    /// The methods of the routes whose path matches `path` (empty: no route has this path).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var found: [HTTPRequest.Method] = []
        for route in routes where route.components.count == segments.count && !found.contains(route.method) {
            if zip(route.components, segments).allSatisfy({ $0 ~= $1 }) { found.append(route.method) }
        }
        return found
    }
}
