import TagwayDelivery

extension SinkConfig {
    /// `sinks[].jetstream`: events into a NATS JetStream stream (issue 17), each acknowledged
    /// by the stream's PubAck and de-duplicated by its event id (`Nats-Msg-Id`).
    public struct JetStream: Sendable, Hashable {
        /// `nats://host:port` (or `tls://`) URLs; each connect tries them in turn.
        public var servers: [String]
        /// The subject template: `{site}`, `{gateway}`, `{type}`, `{zone}`, `{readPoint}`, `{reader}`.
        public var subject: String = JetStreamSubject.defaultTemplate
        public var stream: JetStreamStreamSpec
        /// Most publishes awaiting their PubAck at once.
        public var maxInFlight = 256
        /// How long the sink waits for a PubAck without progress before the batch is retried.
        public var ackTimeout: Duration = .seconds(10)
        public var auth: Auth?
        public var tls: TLS?

        public init(servers: [String], stream: JetStreamStreamSpec) {
            self.servers = servers
            self.stream = stream
        }
    }

    /// How the JetStream sink logs in: one of these, as the NATS server's accounts say.
    public enum Auth: Sendable, Hashable {
        case user(name: String, password: SecretRef)
        case token(SecretRef)
        /// An NKey seed (`SU…`), which signs the server's nonce.
        case nkeySeed(SecretRef)
        /// A `.creds` file (a user JWT and its NKey seed), as `nsc` writes it.
        case creds(path: String)

        public var secrets: [SecretRef] {
            switch self {
            case .user(_, let password): [password]
            case .token(let token): [token]
            case .nkeySeed(let seed): [seed]
            case .creds: []
            }
        }
    }

    /// `tls`: the CA that signs the servers' certificates, and a client certificate when the
    /// servers verify clients. Any of them makes the connection TLS.
    public struct TLS: Sendable, Hashable {
        public var ca: String?
        public var cert: String?
        public var key: String?

        public init(ca: String? = nil, cert: String? = nil, key: String? = nil) {
            self.ca = ca
            self.cert = cert
            self.key = key
        }
    }
}
