import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// What `GET /metrics` serves: the process's one Prometheus registry, and the collection that
/// brings its scrape-time figures (reader health, engine counters, process) up to date first.
public struct MetricsEndpoint: Sendable {
    public let registry: PrometheusCollectorRegistry
    let collect: @Sendable () async -> Void

    public init(registry: PrometheusCollectorRegistry, collect: @escaping @Sendable () async -> Void = {}) {
        self.registry = registry
        self.collect = collect
    }
}

/// `GET /metrics`: every registered figure in the Prometheus text exposition format 0.0.4.
///
/// The figures are brought up to date when they are asked for (see `GatewayMetricsCollector`),
/// so a gateway nobody scrapes pays nothing for them and the per-read path never does.
struct MetricsRoutes {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    let endpoint: MetricsEndpoint

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { _, _ in await self.scrape() }
    }

    func scrape() async -> Response {
        await endpoint.collect()
        let text = endpoint.registry.emitToBuffer()
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }
}
