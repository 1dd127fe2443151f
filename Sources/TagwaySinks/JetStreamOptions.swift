import TagwayOutbox

/// What the JetStream sink needs, with its secrets resolved (SinkFactory reads `env:`/`file:`).
public struct JetStreamOptions: Sendable, Hashable {
    /// How the client logs in.
    public enum Login: Sendable, Hashable {
        case user(name: String, password: String)
        case token(String)
        case nkeySeed(String)
        /// A `.creds` file: the user JWT and the seed that signs the server's nonce.
        case creds(path: String)
    }

    public var servers: [String]
    /// The site of `{site}` in `subject`.
    public var site: String
    public var subject: String
    public var stream: JetStreamStreamSpec
    public var maxInFlight: Int
    /// Without a PubAck for this long (and no progress), the batch is retried.
    public var ackTimeout: Duration
    public var login: Login?
    /// CA file, client certificate and key; any of them (or a `tls://` URL) makes the connection TLS.
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// The connection's name in the server's monitoring (`tagway-<gateway>-<sink>`).
    public var clientName: String
    /// The longest time between two publishes of one event (retry.max + ackTimeout), checked
    /// against the stream's de-duplication window at start; nil: not checked.
    public var worstRetry: Duration?
    /// The identity of the event log the events come from (`EventLog.identity`), sent with each
    /// publish as `Tagway-Log-Id`: a site keeps its positions per gateway and log, so a gateway
    /// whose log was recreated (numbering from 1 again) is not taken for redeliveries. nil: not sent.
    public var logID: String?

    public init(servers: [String], site: String, subject: String = JetStreamSubject.defaultTemplate,
                stream: JetStreamStreamSpec, maxInFlight: Int = 256, ackTimeout: Duration = .seconds(10),
                login: Login? = nil, caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                clientName: String = "tagway") {
        self.servers = servers
        self.site = site
        self.subject = subject
        self.stream = stream
        self.maxInFlight = max(1, maxInFlight)
        self.ackTimeout = ackTimeout
        self.login = login
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientName = clientName
    }

    var secure: Bool { caFile != nil || certFile != nil || servers.contains { $0.hasPrefix("tls://") } }
}
