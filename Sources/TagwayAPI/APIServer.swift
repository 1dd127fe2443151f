import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import TagwayConsole
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
    let options: APIOptions
    let failures: AuthFailureReporter

    /// `maxStreams` bounds concurrent SSE streams; `maxConnections` (nil: no bound) bounds open
    /// connections, from the gateway's descriptor budget; `options` carries tokens, TLS and
    /// request limits (the defaults: no token, plain HTTP, which the configuration allows on
    /// loopback only).
    public init(log: EventLog, host: String, port: Int, logger: Logger, maxStreams: Int = PullAPI.defaultMaxStreams,
                maxConnections: Int? = nil, zones: Reloadable<ZoneDirectory> = Reloadable(ZoneDirectory()), audit: AuditEndpoint? = nil,
                metrics: MetricsEndpoint? = nil, readiness: (any ReadinessSource)? = nil, options: APIOptions = APIOptions(),
                status: (any StatusSource)? = nil, tuning: (any TuningSource)? = nil, config: (any ConfigEndpoint)? = nil) {
        self.init(api: PullAPI(log: log, maxStreams: maxStreams, logger: logger, zones: zones, audit: audit, metrics: metrics,
                               readiness: readiness, status: status, tuning: tuning, config: config),
                  host: host, port: port, logger: logger, maxConnections: maxConnections, options: options)
    }

    /// Serves `api` (a site's: its own event history and asset directory).
    public init(api: PullAPI, host: String, port: Int, logger: Logger, maxConnections: Int? = nil, options: APIOptions = APIOptions()) {
        self.api = api
        self.host = host
        self.port = port
        self.logger = logger
        self.options = options
        gate = maxConnections.map { ConnectionGateState(limit: $0, logger: logger) }
        failures = AuthFailureReporter(logger: logger, factory: options.metrics,
                                       throttle: AuthFailureThrottle(burst: options.failureLogBurst))
    }

    /// HTTP/1.1, with the head limit and idle timeout of `options`, inside TLS when configured.
    func serverBuilder() throws(APIServerError) -> HTTPServerBuilder {
        let idle = options.idleTimeout.components
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: options.maxHeaderBytes,
                                                                      maxHeaderListSize: options.maxHeaderBytes)
        // A connection that sends nothing (no request, or half a header) is closed after the
        // idle timeout, so idle clients do not keep connection slots forever.
        let http = HTTPServerBuilder.http1(configuration: .init(
            idleTimeout: .nanoseconds(idle.seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue
                &+ idle.attoseconds / 1_000_000_000),
            httpDecoderConfiguration: decoder))
        guard let files = options.tls else { return http }
        let tls = try Self.tlsConfiguration(files)
        do {
            return try .tls(http, tlsConfiguration: tls)
        } catch {
            throw .tls(location: files.location, reason: "\(error)")
        }
    }

    /// Loads the certificate chain and key now, so a bad file fails the start with its name.
    static func tlsConfiguration(_ files: APIOptions.TLSFiles) throws(APIServerError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certFile)
        } catch {
            throw .tls(location: files.location, reason: "certFile \(files.certFile) is not a usable PEM certificate (\(error))")
        }
        if chain.isEmpty { throw .tls(location: files.location, reason: "certFile \(files.certFile) holds no certificate") }
        do {
            key = try NIOSSLPrivateKey(file: files.keyFile, format: .pem)
        } catch {
            throw .tls(location: files.location, reason: "keyFile \(files.keyFile) is not a usable PEM private key (\(error))")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tls(location: files.location, reason: "keyFile \(files.keyFile) does not match certFile \(files.certFile) (\(error))")
        }
        return configuration
    }

    /// Binds `host:port` and starts serving; returns once the port is bound.
    public func listen() async throws(APIServerError) -> APIListener {
        let logger = self.logger
        let (bound, report) = AsyncStream<Int>.makeStream()
        let responder = ConsoleResponder(inner: BearerAuth(inner: MethodCheck(router: api.router()), access: options.access, failures: failures,
                                   bodyLimit: BodyLimit(maxBytes: options.maxBodyBytes, exemptPaths: BodyLimit.auditPaths)))
        // Not `Application`: its run() starts a 1 s timer (the Date header's cache) that wakes an
        // idle gateway every second; HTTPServerRunner serves the same responder without it.
        let app = HTTPServerRunner(
            responder: responder,
            server: try serverBuilder(),
            configuration: ServerConfiguration(address: .hostname(host, port: port), serverName: "tagway",
                                               availableConnectionsDelegate: gate.map { ConnectionGate(state: $0) }),
            onServerRunning: { [options] channel in
                let scheme = options.tls == nil ? "http" : "https"
                let access = options.access.current
                let auth = access.requiresToken
                    ? "\(access.tokenCount) token(s), public: \(access.publicEndpoints.map(\.rawValue).sorted().joined(separator: ", "))"
                    : "no token (loopback)"
                logger.info("pull API listening on \(channel.localAddress?.description ?? "?") (\(scheme), \(auth))")
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
    /// The TLS certificate or key cannot be used; `location` is where `api.tls` is configured.
    case tls(location: String, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason): "pull API cannot listen on \(host):\(port): \(reason)"
        case .tls(let location, let reason): "\(location): pull API cannot serve HTTPS: \(reason)"
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
