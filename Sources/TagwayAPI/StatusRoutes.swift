import Hummingbird

/// Where `GET /v1/status` gets its answer; the gateway implements it with the same boards that
/// `status.json` is written from (one builder for both), so it reads no database and a failing
/// log shows in the answer instead of failing it.
public protocol StatusSource: Sendable {
    /// The status object as JSON.
    func status() async -> String
}

/// `GET /v1/status`: what `status.json` holds (readers, sinks, log, retention) and what the console
/// needs beside it (version, start time, the gateway's time zone, engine figures). Always 200
/// while the gateway runs.
struct StatusRoutes: Sendable {
    let source: any StatusSource

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/status") { _, _ in HealthRoutes.json(await self.source.status(), status: .ok) }
    }
}
