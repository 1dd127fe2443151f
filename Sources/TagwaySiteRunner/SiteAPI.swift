import Logging
import Prometheus
import TagwayAPI
import TagwayConfig

/// The site's HTTP API (`api:` in site.yaml, the gateway's entry): the gateway's routes and
/// server over the site's seams, the picture in the bucket (`SiteAssetDirectory`), the site
/// events stream (`SiteEventHistory`), `SiteStatus` and `SiteMetricsCollector`. Every site
/// process serves it, a standby too: the reads come from JetStream, not from the active
/// process, so a client that loses one process reads the same answers from another.
public struct SiteAPI: Sendable {
    public let server: APIServer
    private let reader: SiteReader

    /// `options`: the server options of `api:` (tokens resolved, TLS, limits), as the gateway builds them.
    /// `poll` and `keepAlive`: how often an event stream looks for new site events besides its
    /// wakes, and writes a comment line when idle (a test sets both long, so only a wake can
    /// move the stream).
    public init(runner: SiteRunner, api: APIConfig, options: APIOptions, logger: Logger,
                poll: Duration = .seconds(5), keepAlive: Duration = .seconds(15)) {
        let reader = SiteReader(runner: runner)
        self.reader = reader
        let metrics = SiteMetricsCollector(registry: PrometheusCollectorRegistry(), runner: runner, reader: reader)
        let pull = PullAPI(history: SiteEventHistory(reader: reader, poll: poll), directory: SiteAssetDirectory(reader: reader),
                           keepAlive: keepAlive, maxStreams: api.maxStreams, logger: logger, metrics: metrics.endpoint,
                           readiness: SiteReadiness(runner: runner), status: SiteStatus(runner: runner, reader: reader))
        server = APIServer(api: pull, host: api.host, port: api.port, logger: logger, options: options)
    }

    /// Closes the API's own NATS connection (after the server stopped).
    public func close() { reader.close() }
}
