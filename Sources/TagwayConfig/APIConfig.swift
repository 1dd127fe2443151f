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
    /// `api.tokens`: bearer tokens, any of which is accepted (several, so one can be rotated).
    /// Empty: no authentication, allowed only on a loopback address.
    public var tokens: [SecretRef] = []
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
