import Crypto
import Foundation

/// Who may call the pull API: the accepted bearer tokens and the endpoints served without one.
///
/// Only SHA-256 digests of the tokens are kept. A presented token is hashed and compared with
/// every digest, whole, without stopping at the first difference or the first match, so the time
/// a check takes says nothing about how much of a token was right, nor which one matched.
public struct APIAccessPolicy: Sendable, Equatable {
    /// Endpoints `api.public` may open.
    public enum PublicEndpoint: String, Sendable, Hashable, CaseIterable {
        case healthz, readyz, metrics

        public var path: String { "/" + rawValue }
    }

    let digests: [[UInt8]]
    /// The name of each token, in the order of `digests`: what a request is logged as.
    public let names: [String]
    public let publicEndpoints: Set<PublicEndpoint>
    let publicPaths: Set<String>

    /// The name a request gets when no token is configured (the API listens on loopback only).
    public static let loopbackName = "loopback"
    /// The name a request to a public endpoint gets without a token.
    public static let publicName = "public"

    /// No tokens: every request passes (the configuration allows this on loopback only).
    /// Bare tokens are named `token-1`, `token-2`… by position, as `api.tokens` names them.
    public init(tokens: [String] = [], publicEndpoints: Set<PublicEndpoint> = [.healthz, .readyz]) {
        self.init(named: tokens.enumerated().map { ("token-\($0.offset + 1)", $0.element) }, publicEndpoints: publicEndpoints)
    }

    /// Tokens with their names (`api.tokens` entries `{name, token}`).
    public init(named tokens: [(name: String, token: String)], publicEndpoints: Set<PublicEndpoint> = [.healthz, .readyz]) {
        digests = tokens.map { Array(SHA256.hash(data: Array($0.token.utf8))) }
        names = tokens.map(\.name)
        self.publicEndpoints = publicEndpoints
        publicPaths = Set(publicEndpoints.map(\.path))
    }

    public var requiresToken: Bool { !digests.isEmpty }
    public var tokenCount: Int { digests.count }

    /// What an `Authorization` header is worth for `path`, and who it says the caller is.
    public func decide(path: String, authorization: String?) -> Decision {
        guard requiresToken else { return .allowed(Self.loopbackName) }
        guard !publicPaths.contains(path) else { return .allowed(Self.publicName) }
        guard let token = Self.bearerToken(authorization) else { return .refused(.missing) }
        let presented = Array(SHA256.hash(data: Array(token.utf8)))
        // The 1-based position of the matching digest, found without a branch on any comparison:
        // every digest is compared whole, and the last match wins (names are unique, tokens
        // should be, and a repeated token is the same holder either way).
        var position = 0
        for (index, digest) in digests.enumerated() {
            let mask = -Int(Self.equal(digest, presented))
            position = (position & ~mask) | ((index + 1) & mask)
        }
        return position > 0 ? .allowed(names[position - 1]) : .refused(.wrong)
    }

    public enum Decision: Sendable, Equatable {
        /// Let through, as the token of this name (or `loopback`, `public`).
        case allowed(String)
        case refused(Refusal)
    }

    /// The `reason` label of `tagway_api_auth_failures_total`.
    public enum Refusal: String, Sendable {
        /// No `Authorization: Bearer` header (or another scheme).
        case missing
        /// A bearer token that is none of the configured ones (or one rotated out).
        case wrong
    }

    /// The token of `Bearer <token>` (the scheme in any case, RFC 7235 §2.1); nil for no
    /// header, another scheme or an empty token.
    static func bearerToken(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let scheme = "bearer "
        guard header.utf8.count > scheme.utf8.count, header.prefix(scheme.count).lowercased() == scheme else { return nil }
        let token = header.dropFirst(scheme.count).drop { $0 == " " }
        return token.isEmpty ? nil : token
    }

    /// 1 when both 32-byte digests are equal, else 0; every byte is looked at either way.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> UInt8 {
        guard a.count == b.count else { return 0 }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        // 0 → 1, anything else → 0, without a branch on the secret-dependent value.
        return UInt8(truncatingIfNeeded: (UInt16(difference) &- 1) >> 8) & 1
    }
}
