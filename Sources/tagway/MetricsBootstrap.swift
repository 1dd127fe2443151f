import Metrics
import TagwayGateway

/// The process's metrics backend: swift-metrics bootstrapped once, here, with the Prometheus
/// registry the gateway serves at `GET /metrics`. Library code never bootstraps (tests use their
/// own registry through `Gateway(…, metrics:)`), so every figure, the gateway's own and those
/// other parts record through swift-metrics, ends up in this one registry.
enum MetricsBootstrap {
    static func start() -> GatewayMetrics {
        let metrics = GatewayMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        return metrics
    }
}
