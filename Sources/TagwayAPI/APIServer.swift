import Hummingbird
import Logging
import NIOCore
import TagwayEventLog

/// Runs the pull API on `host:port` until the task is cancelled. `onListening` receives the
/// bound port (useful with port 0 in tests).
public struct APIServer: Sendable {
    let api: PullAPI
    let host: String
    let port: Int
    let logger: Logger

    public init(log: EventLog, host: String, port: Int, logger: Logger) {
        api = PullAPI(log: log)
        self.host = host
        self.port = port
        self.logger = logger
    }

    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let logger = self.logger
        let app = Application(
            router: api.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "tagway"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("pull API listening on \(channel.localAddress?.description ?? "?")")
                onListening(port)
            },
            logger: logger)
        try await app.run()
    }
}
