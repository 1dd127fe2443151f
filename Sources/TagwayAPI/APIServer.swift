import Foundation
import Hummingbird
import Logging
import NIOCore
import TagwayEventLog

/// The pull API's HTTP server. `listen()` binds before anything else starts, so a port that is
/// taken fails the gateway's start with the address in the message instead of a log line while
/// the gateway runs on without its API.
public struct APIServer: Sendable {
    public let api: PullAPI
    let host: String
    let port: Int
    let logger: Logger
    let gate: ConnectionGateState?
    static let idleTimeoutSeconds: Int64 = 30

    /// `maxStreams` bounds concurrent SSE streams; `maxConnections` (nil: no bound) bounds open
    /// connections, from the gateway's descriptor budget.
    public init(log: EventLog, host: String, port: Int, logger: Logger, maxStreams: Int = PullAPI.defaultMaxStreams,
                maxConnections: Int? = nil, zones: ZoneDirectory = ZoneDirectory(), audit: AuditEndpoint? = nil,
                metrics: MetricsEndpoint? = nil, readiness: (any ReadinessSource)? = nil) {
        api = PullAPI(log: log, maxStreams: maxStreams, logger: logger, zones: zones, audit: audit, metrics: metrics,
                      readiness: readiness)
        self.host = host
        self.port = port
        self.logger = logger
        gate = maxConnections.map { ConnectionGateState(limit: $0, logger: logger) }
    }

    /// Binds `host:port` and starts serving; returns once the port is bound.
    public func listen() async throws(APIServerError) -> APIListener {
        let logger = self.logger
        let (bound, report) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: api.router(),
            // A connection that sends nothing (no request, or half a header) is closed after
            // this, so idle clients do not keep connection slots forever; a response being
            // written (an SSE stream) is never idle.
            server: .http1(configuration: .init(idleTimeout: .seconds(Self.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(host, port: port), serverName: "tagway",
                                 availableConnectionsDelegate: gate.map { ConnectionGate(state: $0) }),
            onServerRunning: { channel in
                logger.info("pull API listening on \(channel.localAddress?.description ?? "?")")
                report.yield(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        let task = Task {
            defer { report.finish() }
            try await app.run()
        }
        for await port in bound { return APIListener(port: port, task: task) }
        let reason: String
        do {
            try await task.value
            reason = "the server stopped before it listened"
        } catch {
            reason = APIServerError.explain(error)
        }
        throw .cannotListen(host: host, port: port, reason: reason)
    }

    /// Listens, reports the bound port (useful with port 0 in tests) and serves until cancelled.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let listener = try await listen()
        onListening(listener.port)
        try await listener.serve()
    }
}

/// A bound, serving pull API.
public struct APIListener: Sendable {
    public let port: Int
    let task: Task<Void, any Error>

    /// Serves until the calling task is cancelled (or the server fails).
    public func serve() async throws {
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    public func stop() { task.cancel() }
}

public enum APIServerError: Error, Sendable, CustomStringConvertible {
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason): "pull API cannot listen on \(host):\(port): \(reason)"
        }
    }

    /// What a bind failure means for the person editing `api.listen`.
    static func explain(_ error: any Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE: return "the address is already in use (another program, or another tagway, listens there); stop it or change api.listen"
            case EACCES: return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE); use a higher port"
            case EADDRNOTAVAIL: return "no interface of this machine has that address; change api.listen"
            default: return "\(io)"
            }
        }
        return "\(error)"
    }
}
