import Foundation
import Logging
import TagwayAPI
import TagwayConfig

/// A token of `api.tokens` that cannot be used: not set, unreadable, or too weak. An `env:`
/// token is first seen here (check-config may run without the service's environment).
public struct APITokenError: Error, Sendable, CustomStringConvertible {
    public var token: SecretRef
    public var reason: String

    public var description: String { "api.tokens: \(token) \(reason); expected \(APITokenRule.hint)" }
}

extension APIAccessPolicy {
    /// The policy `api:` asks for, with every token resolved now (`file:` tokens are read again
    /// at each reload, which is how a token is rotated without a restart; an `env:` token keeps
    /// the value the process started with). No `api:`: nothing is served anyway.
    public static func resolve(_ api: APIConfig?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(APITokenError) -> APIAccessPolicy {
        guard let api else { return APIAccessPolicy() }
        var tokens: [(name: String, token: String)] = []
        for entry in api.tokens {
            let ref = entry.secret
            guard let token = ref.resolve(environment) else { throw APITokenError(token: ref, reason: ref.unavailableReason) }
            if let problem = APITokenRule.problem(token) { throw APITokenError(token: ref, reason: "is not usable: \(problem)") }
            tokens.append((entry.name, token))
        }
        let open = Set(api.publicEndpoints.compactMap { PublicEndpoint(rawValue: $0.rawValue) })
        return APIAccessPolicy(named: tokens, publicEndpoints: open)
    }
}

extension APIOptions {
    /// The server options of `api:` around the gateway's (reloadable) access policy; a site's
    /// `api:` (`tagway site`) is the same entry.
    public init(_ api: APIConfig, access: APIAccess) {
        self.init(access: access,
                  tls: api.tls,
                  maxBodyBytes: api.maxBodyBytes, maxHeaderBytes: api.maxHeaderBytes, idleTimeout: api.idleTimeout)
    }
}

extension Gateway {
    /// Puts the tokens and public endpoints of a reloaded `api:` in force (SIGHUP). A token
    /// that cannot be resolved keeps the running policy whole: half a rotation would lock out
    /// the clients of the token that failed. Returns the `api` settings that changed but take
    /// effect only on a restart (the server is bound with them), for the restart notice.
    @discardableResult
    public func reloadAPIAccess(_ api: APIConfig?, logger: Logger, reason: String,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        guard let running = config.api else {
            if api != nil { logger.warning("configuration reload (\(reason)): the pull API (api:) starts on the next start") }
            return api == nil ? [] : ["api"]
        }
        guard let api else {
            logger.warning("configuration reload (\(reason)): the pull API keeps running until the next start (api: was removed)")
            return ["api"]
        }
        do {
            let policy = try APIAccessPolicy.resolve(api, environment: environment)
            if policy != apiAccess.current {
                apiAccess.replace(policy)
                let open = policy.publicEndpoints.map(\.rawValue).sorted().joined(separator: ", ")
                logger.notice("configuration reload (\(reason)): pull API now accepts \(policy.tokenCount) token(s) (\(policy.names.joined(separator: ", "))); public: \(open.isEmpty ? "none" : open)")
            }
        } catch {
            logger.error("configuration reload (\(reason)): \(error); the pull API keeps its running tokens")
        }
        var restart: [String] = []
        if api.host != running.host || api.port != running.port { restart.append("api.listen") }
        if api.tls != running.tls { restart.append("api.tls") }
        if api.maxStreams != running.maxStreams { restart.append("api.maxStreams") }
        if api.maxBodyBytes != running.maxBodyBytes || api.maxHeaderBytes != running.maxHeaderBytes
            || api.idleTimeout != running.idleTimeout { restart.append("api limits (maxBodyBytes, maxHeaderBytes, idleTimeout)") }
        if !restart.isEmpty {
            logger.warning("configuration reload (\(reason)): \(restart.joined(separator: ", ")) take effect on the next start")
        }
        return restart
    }
}
