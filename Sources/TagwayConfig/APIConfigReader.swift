import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ConfigLimits {
    /// Entries in `api.tokens`: a few for rotation, one per consumer at most.
    public static let maxAPITokens = 64
    /// `api.maxBodyBytes`.
    public static let apiBodyBytes: ClosedRange<Int> = 1_024...(1 << 30)
    /// `api.maxHeaderBytes`: below 1 KiB a browser's ordinary headers do not fit; NIO's own
    /// ceiling is 80 KiB, and no client of this API needs more than 1 MiB.
    public static let apiHeaderBytes: ClosedRange<Int> = 1_024...(1 << 20)
    /// `api.idleTimeout`.
    public static let apiIdleTimeout = DurationBound(max: .seconds(3_600), text: "1h", min: (.seconds(1), "1s"))
    /// Bytes read of a TLS certificate or key file.
    static let maxPEMBytes = 1 << 20
}

/// What a bearer token must be. Shared by the file check and the start (an `env:` token is seen
/// only then), so both refuse the same tokens with the same words.
public enum APITokenRule {
    public static let minLength = 16
    public static let hint = "a random token of at least \(minLength) visible ASCII characters (openssl rand -hex 32)"

    /// Why `token` cannot be a bearer token, or nil. A short token is guessed; a space or a
    /// control character cannot be sent in an `Authorization` header as written.
    public static func problem(_ token: String) -> String? {
        if token.isEmpty { return "the token is empty" }
        guard token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return "the token holds a space, a control or a non-ASCII character"
        }
        if token.utf8.count < minLength { return "the token has \(token.utf8.count) characters, fewer than \(minLength)" }
        return nil
    }
}

/// Reads `api: { listen, maxStreams, tokens, public, tls, maxBodyBytes, maxHeaderBytes, idleTimeout }`.
enum APIConfigReader {
    static let keys = ["listen", "maxStreams", "tokens", "public", "tls", "maxBodyBytes", "maxHeaderBytes", "idleTimeout"]

    static func read(_ value: YAMLValue, absolute: (String) -> String) -> APIConfig? {
        guard let map = value.mapping(allowed: keys), let node = map["listen"], let text = node.string() else {
            if case .mapping = value.node { value.error("missing key 'listen'", expected: "listen: 127.0.0.1:8080") }
            return nil
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
              colon > text.startIndex
        else {
            node.error("'\(text)' is not an address", expected: "HOST:PORT such as 127.0.0.1:8080")
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var api = APIConfig(host: host, port: port)
        if let streams = map["maxStreams"]?.int(in: ConfigLimits.apiStreams) { api.maxStreams = streams }
        if let v = map["maxBodyBytes"]?.int(in: ConfigLimits.apiBodyBytes) { api.maxBodyBytes = v }
        if let v = map["maxHeaderBytes"]?.int(in: ConfigLimits.apiHeaderBytes) { api.maxHeaderBytes = v }
        if let v = map["idleTimeout"]?.duration(ConfigLimits.apiIdleTimeout) { api.idleTimeout = v }
        var written = 0
        if let node = map["tokens"] { (api.tokens, written) = tokens(node, absolute: absolute) }
        if let node = map["public"] { api.publicEndpoints = publicEndpoints(node) }
        if let node = map["tls"] { api.tls = tls(node, absolute: absolute) }
        // Checked on what was written, not on what parsed: a token that failed its own check
        // has already said why, and must not add that the API is open.
        if written == 0, !APIConfig.isLoopback(host) {
            node.error("the pull API would listen on \(text), which other machines can reach, with no api.tokens: anyone on the network could read the event log",
                       expected: "api.tokens: [\"file:/etc/tagway/api-token\"] with \(APITokenRule.hint), or listen on 127.0.0.1")
        }
        return api
    }

    /// `tokens: ["env:TAGWAY_API_TOKEN", {name: facilities, token: "file:/etc/tagway/facilities-token"}]`:
    /// secrets as the sinks write them, each bare or with a name (a bare one is `token-N` by
    /// position). A literal or a file is checked now; an `env:` token when the gateway starts.
    /// Also returns how many entries were written, good or not.
    static func tokens(_ value: YAMLValue, absolute: (String) -> String) -> ([APIToken], written: Int) {
        guard let list = value.sequence(max: ConfigLimits.maxAPITokens) else { return ([], 0) }
        var names: [String: Int] = [:]
        var out: [APIToken] = []
        for (index, item) in list.enumerated() {
            guard let found = entry(item, index: index) else { continue }
            let (name, secretNode, nameNode) = found
            if let first = names[name] {
                nameNode.error("the token name '\(name)' is used twice (first on line \(first))",
                               expected: "a unique name per token (a bare token is named token-N by its position)")
            } else {
                names[name] = nameNode.line
            }
            if let ref = secret(secretNode, absolute: absolute) { out.append(APIToken(name: name, secret: ref)) }
        }
        return (out, list.count)
    }

    /// The name of one entry, the node holding its secret, and the node its name is reported at.
    private static func entry(_ item: YAMLValue, index: Int) -> (String, YAMLValue, YAMLValue)? {
        guard case .mapping = item.node else { return (APIToken.positionalName(index), item, item) }
        guard let map = item.mapping(allowed: ["name", "token"]) else { return nil }
        guard let nameNode = map["name"], let tokenNode = map["token"] else {
            item.error("a named token needs both name and token", expected: "{ name: facilities, token: \"file:/etc/tagway/facilities-token\" }")
            return nil
        }
        guard let name = nameNode.string(maxLength: 64) else { return nil }
        guard APIToken.isValidName(name) else {
            nameNode.error("'\(name)' cannot name a token", expected: "1 to 64 letters, digits, '.', '_' or '-'")
            return nil
        }
        return (name, tokenNode, nameNode)
    }

    private static func secret(_ item: YAMLValue, absolute: (String) -> String) -> SecretRef? {
        guard let ref = SinkConfigReader.secret(item, absolute: absolute) else { return nil }
        switch ref {
        case .env: return ref
        case .literal(let token):
            if let problem = APITokenRule.problem(token) {
                item.error("\(problem)", expected: APITokenRule.hint)
                return nil
            }
        case .file(let path):
            guard let token = SecretRef.firstLine(of: path) else {
                item.error("the token file \(path) is empty", expected: "a file whose first line is \(APITokenRule.hint)")
                return nil
            }
            if let problem = APITokenRule.problem(token) {
                item.error("\(path): \(problem)", expected: "a file whose first line is \(APITokenRule.hint)")
                return nil
            }
        }
        return ref
    }

    static func publicEndpoints(_ value: YAMLValue) -> Set<APIConfig.PublicEndpoint> {
        guard let list = value.sequence(max: APIConfig.PublicEndpoint.allCases.count * 4) else { return [.healthz, .readyz] }
        var out: Set<APIConfig.PublicEndpoint> = []
        for item in list {
            guard let text = item.string() else { continue }
            guard let endpoint = APIConfig.PublicEndpoint(rawValue: text) else {
                item.error("'\(text)' is not an endpoint that can be public",
                           expected: "any of \(APIConfig.PublicEndpoint.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            out.insert(endpoint)
        }
        return out
    }

    /// `tls: { certFile, keyFile }`: both readable PEM files now (a typo is found by
    /// check-config, not at 3 a.m. by a service that will not start).
    static func tls(_ value: YAMLValue, absolute: (String) -> String) -> APIConfig.TLSFiles? {
        guard let map = value.mapping(allowed: ["certFile", "keyFile"]) else { return nil }
        guard let certNode = map["certFile"], let keyNode = map["keyFile"] else {
            value.error("api.tls needs both certFile and keyFile", expected: "tls: { certFile: /etc/tagway/api.pem, keyFile: /etc/tagway/api.key }")
            return nil
        }
        let cert = certNode.string().flatMap { pem($0, node: certNode, absolute: absolute, marker: "-----BEGIN CERTIFICATE-----",
                                                    what: "a PEM certificate (-----BEGIN CERTIFICATE-----)") }
        let key = keyNode.string().flatMap { pem($0, node: keyNode, absolute: absolute, marker: "PRIVATE KEY-----",
                                                 what: "a PEM private key (-----BEGIN PRIVATE KEY-----)") }
        guard let cert, let key else { return nil }
        if let mode = fileMode(key), mode & 0o004 != 0 {
            keyNode.warning("the TLS key \(key) is readable by every user", expected: "chmod 0640 (or 0600) \(key)")
        }
        return APIConfig.TLSFiles(certFile: cert, keyFile: key, location: "\(value.file):\(value.line):\(value.column): api.tls")
    }

    private static func pem(_ given: String, node: YAMLValue, absolute: (String) -> String, marker: String, what: String) -> String? {
        let path = absolute(given)
        guard let mode = fileMode(path), mode & S_IFMT == S_IFREG, access(path, R_OK) == 0,
              let handle = FileHandle(forReadingAtPath: path) else {
            node.error("\(path) cannot be read", expected: "a readable file holding \(what)")
            return nil
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: ConfigLimits.maxPEMBytes)) ?? Data()
        guard String(decoding: data, as: UTF8.self).contains(marker) else {
            node.error("\(path) does not hold \(what)", expected: "a PEM file; convert DER with openssl x509 -inform der (or openssl pkey -inform der)")
            return nil
        }
        return path
    }

    private static func fileMode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode : nil
    }
}
