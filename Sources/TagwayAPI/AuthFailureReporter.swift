import Synchronization
import Logging
import Metrics
import TagwayModel
import TagwayRuntime

/// Counts every failed authentication in `tagway_api_auth_failures_total{reason}` and logs it
/// with the client's address, as `AuthFailureThrottle` allows.
final class AuthFailureReporter: Sendable {
    private let logger: Logger
    private let factory: (any MetricsFactory)?
    /// Time since start on the injected monotonic clock: the throttle's windows are measured on it.
    private let watch: Stopwatch
    private let throttle: Mutex<AuthFailureThrottle>
    private let intervalSeconds: Int64

    /// `factory` nil: the bootstrapped metrics backend (`tagway run` bootstraps Prometheus).
    init(logger: Logger, factory: (any MetricsFactory)? = nil, throttle: AuthFailureThrottle = AuthFailureThrottle(),
         clock: GatewayClock = .system) {
        watch = clock.stopwatch()
        self.logger = logger
        self.factory = factory
        self.throttle = Mutex(throttle)
        intervalSeconds = throttle.intervalMilliseconds / 1000
    }

    func failed(_ refusal: APIAccessPolicy.Refusal, client: String, path: String) {
        Counter(label: "tagway_api_auth_failures_total", dimensions: [("reason", refusal.rawValue)],
                factory: factory ?? MetricsSystem.factory).increment()
        let now = watch.elapsed().wholeMilliseconds
        let decision = throttle.withLock { $0.record(now: now) }
        guard case .log(let unlogged, let last) = decision else { return }
        // The path is the client's text: bounded, so a long one cannot fill the journal.
        let shown = path.utf8.count > 200 ? String(path.prefix(200)) + "…" : path
        var line = "pull API: refused \(shown) from \(client): "
        line += refusal == .missing ? "no bearer token" : "a bearer token that is not in api.tokens"
        if unlogged > 0 { line += " (\(unlogged) more failed authentication(s) before this one were counted, not logged)" }
        if last {
            line += "; further failures in the next \(intervalSeconds) s are counted in tagway_api_auth_failures_total, not logged"
        }
        logger.warning("\(line)")
    }
}
