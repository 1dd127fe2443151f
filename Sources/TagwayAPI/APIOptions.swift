import Metrics
import TagwayModel

/// What the pull API's server takes from `api:` beyond its address: who may call it, HTTPS,
/// and the limits on what one client may send. The defaults are those of a file that says
/// nothing: no token (loopback only), plain HTTP, 1 MiB bodies, 16 KiB heads, 30 s idle.
public struct APIOptions: Sendable {
    /// The tokens and public endpoints in force; the gateway replaces its policy on SIGHUP.
    public var access: APIAccess
    public var tls: TLSFiles?
    public var maxBodyBytes: Int
    public var maxHeaderBytes: Int
    /// A connection that sends nothing for this long (no request, half a header) is closed; a
    /// response being written (an SSE stream) is never idle.
    public var idleTimeout: Duration
    /// Where failed authentications are counted (nil: the bootstrapped backend).
    public var metrics: (any MetricsFactory)?
    /// Failed authentications logged per minute before the rest are only counted.
    public var failureLogBurst: Int

    /// `api.tls`: PEM files, loaded when the server starts listening.
    public typealias TLSFiles = TagwayModel.TLSFiles

    public static let defaultMaxBodyBytes = 1 << 20
    public static let defaultMaxHeaderBytes = 16 << 10

    public init(access: APIAccess = APIAccess(), tls: TLSFiles? = nil, maxBodyBytes: Int = APIOptions.defaultMaxBodyBytes,
                maxHeaderBytes: Int = APIOptions.defaultMaxHeaderBytes, idleTimeout: Duration = .seconds(30),
                metrics: (any MetricsFactory)? = nil, failureLogBurst: Int = 10) {
        self.access = access
        self.tls = tls
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.idleTimeout = idleTimeout
        self.metrics = metrics
        self.failureLogBurst = failureLogBurst
    }
}
