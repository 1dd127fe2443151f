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
    public let publicEndpoints: Set<PublicEndpoint>
    let publicPaths: Set<String>

    /// No tokens: every request passes (the configuration allows this on loopback only).
    public init(tokens: [String] = [], publicEndpoints: Set<PublicEndpoint> = [.healthz, .readyz]) {
        digests = tokens.map { Array(SHA256.hash(data: Array($0.utf8))) }
        self.publicEndpoints = publicEndpoints
        publicPaths = Set(publicEndpoints.map(\.path))
    }

    public var requiresToken: Bool { !digests.isEmpty }
    public var tokenCount: Int { digests.count }

    /// What an `Authorization` header is worth for `path`.
    public func decide(path: String, authorization: String?) -> Decision {
        guard requiresToken, !publicPaths.contains(path) else { return .allowed }
        guard let token = Self.bearerToken(authorization) else { return .refused(.missing) }
        let presented = Array(SHA256.hash(data: Array(token.utf8)))
        var matched: UInt8 = 0
        for digest in digests { matched |= Self.equal(digest, presented) }
        return matched == 1 ? .allowed : .refused(.wrong)
    }

    public enum Decision: Sendable, Equatable {
        case allowed
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

/// The policy in force, replaced whole on SIGHUP: a request sees the old policy or the new one,
/// never half of each, and a token rotated out stops working at the next request.
public final class APIAccess: @unchecked Sendable {
    private let lock = NSLock()
    private var policy: APIAccessPolicy

    public init(_ policy: APIAccessPolicy = APIAccessPolicy()) {
        self.policy = policy
    }

    public var current: APIAccessPolicy { lock.withLock { policy } }

    public func replace(_ policy: APIAccessPolicy) {
        lock.withLock { self.policy = policy }
    }
}
