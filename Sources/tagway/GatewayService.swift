import Logging
import ServiceLifecycle
import TagwayAPI
import TagwayGateway

/// `tagway run` as a swift-service-lifecycle service: SIGTERM or SIGINT starts a graceful stop
/// (readers stop, the pipeline writes what it holds, in-flight sink batches finish within
/// `gateway.stopTimeout`, the log closes) instead of a death mid-write.
// @unchecked: `outcome` is written once, by `run`, and read only after the service group that
// ran it has returned; the rest is `let`.
final class GatewayService: Service, @unchecked Sendable {
    private let gateway: Gateway
    private let api: APIListener?
    private let logger: Logger
    /// Set once `run` returns; read by `tagway run` after the service group has finished.
    private(set) var outcome: GatewayOutcome?

    init(gateway: Gateway, api: APIListener?, logger: Logger) {
        self.gateway = gateway
        self.api = api
        self.logger = logger
    }

    func run() async {
        let (gateway, api, logger) = (self.gateway, self.api, self.logger)
        outcome = await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown { await gateway.run(api: api) }
        } onGracefulShutdown: {
            logger.info("stopping (graceful shutdown requested)")
            gateway.notifications.stopping()
        }
    }
}
