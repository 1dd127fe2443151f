import HTTPTypes
import Hummingbird
import NIOCore

/// Probes for systemd, a load balancer or a container runtime.
///
/// - `GET /healthz`: 200 `{"ok":true}` while the process answers HTTP at all (liveness).
/// - `GET /readyz`: 200 when every readiness check passes, else 503 with `Retry-After`, as every
///   503 of the API; the body lists each check with its detail, so the operator reads why from
///   the probe itself.
///
/// Both are cheap and read no log file: a probe every second costs nothing, and a stuck disk
/// shows up as a failed check, not as a probe that hangs.
struct HealthRoutes: Sendable {
    let readiness: (any ReadinessSource)?

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in Self.json(#"{"ok":true}"#, status: .ok) }
        router.get("/readyz") { _, _ in readyz() }
    }

    func readyz() -> Response {
        // An API served without a gateway behind it (tests, tools) has nothing that can be unready.
        let answer = readiness?.readiness(now: .now) ?? Readiness(checks: [])
        guard answer.ready else {
            return Self.json(answer.json, status: .serviceUnavailable, retryAfter: Readiness.retryAfterSeconds)
        }
        return Self.json(answer.json, status: .ok)
    }

    static func json(_ body: String, status: HTTPResponse.Status, retryAfter: Int? = nil) -> Response {
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }
}
