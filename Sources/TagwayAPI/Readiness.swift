import TagwayModel

/// Whether the gateway should get traffic now, and why not: the body of `GET /readyz`.
public struct Readiness: Sendable, Hashable {
    /// One named check (`log`, `pipeline`, `reader:<id>`, `restart`) and what it found.
    public struct Check: Sendable, Hashable {
        public var name: String
        public var ok: Bool
        public var detail: String

        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    public var checks: [Check]

    public init(checks: [Check]) { self.checks = checks }

    /// A duration in a check's detail, to tenths of a second ("12.3s"): enough for an operator,
    /// stable enough for a probe's log. The gateway's checks and the site's say it alike.
    public static func seconds(_ d: Duration) -> String {
        let tenths = max(0, d.wholeMilliseconds) / 100
        return "\(tenths / 10).\(tenths % 10)s"
    }

    /// The `Retry-After` of a 503 from `/readyz`, in seconds. Every probe recomputes the checks,
    /// so this is only when the answer is worth asking again: a reader's grace, the pipeline's
    /// beat and the JetStream session's retry all change on the scale of seconds, and a client
    /// that polls faster (a curl loop, a script waiting for a start) only adds load to a
    /// gateway that is already not ready.
    public static let retryAfterSeconds = 5

    /// Ready when every check is ok.
    public var ready: Bool { checks.allSatisfy(\.ok) }

    public var json: String {
        var w = JSONObjectWriter()
        w.bool("ready", ready)
        w.raw("checks", "[" + checks.map { check in
            var c = JSONObjectWriter()
            c.string("name", check.name)
            c.bool("ok", check.ok)
            c.string("detail", check.detail)
            return c.finish()
        }.joined(separator: ",") + "]")
        return w.finish()
    }
}

/// Where `/readyz` gets its answer; the gateway implements it. `now` is a monotonic instant, so
/// ages (the pipeline's last beat, a reader's grace) do not jump with the wall clock.
public protocol ReadinessSource: Sendable {
    func readiness(now: ContinuousClock.Instant) -> Readiness
}
