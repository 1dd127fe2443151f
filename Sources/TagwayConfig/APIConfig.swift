import TagwayModel

/// `api:`: where the pull API listens (absent: no pull API), who may call it, and the limits
/// that keep one client from taking the gateway.
public struct APIConfig: Sendable, Hashable {
    /// An endpoint that `api.public` may serve without a token: probes (systemd, a load
    /// balancer, a container runtime) and a Prometheus that is not given the token.
    public enum PublicEndpoint: String, Sendable, Hashable, CaseIterable {
        case healthz, readyz, metrics
    }

    /// `api.tls`: the server certificate chain and its private key (PEM files).
    public typealias TLSFiles = TagwayModel.TLSFiles

    public var host: String
    public var port: Int
    /// `api.maxStreams`: concurrent SSE streams; one more is answered 503 with Retry-After.
    public var maxStreams: Int
    /// `api.tokens`: bearer tokens, any of which is accepted (several, so one can be rotated,
    /// or one per team, whose name then says who changed the configuration).
    /// Empty: no authentication, allowed only on a loopback address.
    public var tokens: [APIToken] = []
    /// `api.public`: endpoints served without a token.
    public var publicEndpoints: Set<PublicEndpoint> = [.healthz, .readyz]
    public var tls: TLSFiles?
    /// `api.maxBodyBytes`: the largest request body (an audit upload has `audit.maxUploadBytes`).
    public var maxBodyBytes = 1 << 20
    /// `api.maxHeaderBytes`: the largest request head (all header fields together).
    public var maxHeaderBytes = 16 << 10
    /// `api.idleTimeout`: a connection that sends nothing for this long is closed.
    public var idleTimeout: Duration = .seconds(30)

    public init(host: String, port: Int, maxStreams: Int = 64) {
        self.host = host
        self.port = port
        self.maxStreams = maxStreams
    }

    /// Whether `host` is reachable only from this machine: 127.0.0.0/8, ::1 or localhost.
    /// Anything else (0.0.0.0, ::, a LAN address, a name) may be reached from the network.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        let octets = parts.compactMap { part -> Int? in
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let value = Int(part), (0...255).contains(value)
            else { return nil }
            return value
        }
        return octets.count == 4 && octets[0] == 127
    }
}

/// One entry of `api.tokens`: the secret and the name logged for what its holder does
/// (`token-1`, `token-2`… by position when the entry is a bare secret).
public struct APIToken: Sendable, Hashable {
    public var name: String
    public var secret: SecretRef

    public init(name: String, secret: SecretRef) {
        self.name = name
        self.secret = secret
    }

    /// The name of the bare secret at `index` (0-based) of the list.
    public static func positionalName(_ index: Int) -> String { "token-\(index + 1)" }

    /// Whether `name` may name a token: `[A-Za-z0-9._-]{1,64}`, so it fits a header and a log line as is.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) || "._-".utf8.contains(byte)
        }
    }
}
