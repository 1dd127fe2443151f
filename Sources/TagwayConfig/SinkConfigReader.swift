import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TagwayDelivery

/// Reads `sinks:` and `retention:` (DESIGN §3, forwarding; `api:` is `APIConfigReader`). Like the reader entries,
/// every mistake is reported with its line and what would be right, and reading goes on.
enum SinkConfigReader {
    static let kinds = ["webhook", "mqtt", "epcis", "snipeit", "jetstream"]

    /// `site`: the gateway's site (`gateway.site`, else its id), which JetStream subjects name.
    static func readSinks(_ value: YAMLValue, site: String? = nil, absolute: (String) -> String) -> [SinkConfig] {
        guard let list = value.sequence(max: ConfigLimits.maxSinks) else { return [] }
        var sinks: [SinkConfig] = []
        var seen: [String: Int] = [:]
        for entry in list {
            guard let sink = readSink(entry, site: site, absolute: absolute) else { continue }
            if let first = seen[sink.id] {
                entry.error("sink id '\(sink.id)' is used twice (first on line \(first))", expected: "a unique id per sink")
            }
            seen[sink.id] = seen[sink.id] ?? sink.line
            sinks.append(sink)
        }
        return sinks
    }

    static func readSink(_ value: YAMLValue, site: String? = nil, absolute: (String) -> String) -> SinkConfig? {
        guard let map = value.mapping(allowed: ["id", "batch", "retry"] + kinds) else { return nil }
        let before = value.diagnostics.errors.count
        guard let id = value.requiredID(in: map, example: "itam") else { return nil }
        let given = kinds.filter { map[$0] != nil }
        guard given.count == 1, let kindKey = given.first, let node = map[kindKey] else {
            value.error(given.isEmpty ? "sink '\(id)' has no destination" : "sink '\(id)' has several destinations (\(given.joined(separator: ", ")))",
                        expected: "exactly one of \(kinds.joined(separator: ", "))")
            return nil
        }
        var delivery = DeliveryPolicy()
        if let batch = map["batch"]?.mapping(allowed: ["maxEvents", "linger"]) {
            if let v = batch["maxEvents"]?.int(in: 1...100_000) { delivery.maxEvents = v }
            if let v = batch["linger"]?.duration(ConfigLimits.linger) { delivery.linger = v }
        }
        if let retry = map["retry"]?.mapping(allowed: ["initial", "max", "maxAttempts"]) {
            if let v = retry["initial"]?.duration(ConfigLimits.retry) { delivery.retryInitial = max(.milliseconds(1), v) }
            if let v = retry["max"]?.duration(ConfigLimits.retry) { delivery.retryMax = v }
            if let v = retry["maxAttempts"]?.int(in: 1...1_000_000) { delivery.maxAttempts = v }
        }
        if delivery.retryMax < delivery.retryInitial {
            (map["retry"] ?? value).error("retry.max is shorter than retry.initial", expected: "max >= initial")
        }
        let kind: SinkConfig.Kind?
        switch kindKey {
        case "webhook": kind = SinkKindReader.webhook(node, absolute: absolute).map { .webhook($0) }
        case "mqtt": kind = SinkKindReader.mqtt(node, absolute: absolute).map { .mqtt($0) }
        case "epcis": kind = SinkKindReader.epcis(node, absolute: absolute).map { .epcis($0) }
        case "jetstream": kind = JetStreamConfigReader.read(node, site: site, absolute: absolute).map { .jetstream($0) }
        default: kind = SinkKindReader.snipeit(node, absolute: absolute).map { .snipeit($0) }
        }
        guard let kind, value.diagnostics.errors.count == before else { return nil }
        if case .jetstream(let j) = kind {
            let worst = JetStreamStreamSpec.worstRetry(policy: delivery, ackTimeout: j.ackTimeout)
            if j.stream.duplicateWindow < worst {
                node.warning("the stream's duplicateWindow (\(j.stream.duplicateWindow)) is shorter than this sink's worst retry "
                             + "(retry.max + ackTimeout = \(worst)): an event published again after that is stored twice",
                             expected: "stream.duplicateWindow of at least \(worst), or a shorter retry.max")
            }
        }
        return SinkConfig(id: id, kind: kind, delivery: delivery, line: value.line)
    }

    static func readRetention(_ value: YAMLValue) -> RetentionPolicy {
        var policy = RetentionPolicy()
        guard let map = value.mapping(allowed: ["maxEvents", "maxAge", "policy"]) else { return policy }
        if let v = map["maxEvents"]?.int(in: 1...Int(Int32.max)) { policy.maxEvents = v }
        if let v = map["maxAge"]?.duration(ConfigLimits.retentionAge) { policy.maxAge = v }
        if let node = map["policy"], let text = node.string() {
            if let p = RetentionPolicy.OverflowPolicy(rawValue: text) { policy.policy = p } else {
                node.error("unknown retention policy '\(text)'", expected: "block or drop-oldest")
            }
        }
        return policy
    }

    /// `env:VAR`, `file:/path` or a literal (warned about: the file then holds the secret).
    /// A `file:` secret must be readable now (the gateway reads it at start); one that other
    /// users can read is warned about.
    static func secret(_ value: YAMLValue, absolute: (String) -> String) -> SecretRef? {
        guard let text = value.string() else { return nil }
        if text.hasPrefix("env:") {
            let name = String(text.dropFirst(4))
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                value.error("'\(text)' does not name an environment variable", expected: "env:VARIABLE_NAME")
                return nil
            }
            return .env(name)
        }
        if text.hasPrefix("file:") {
            let given = String(text.dropFirst(5))
            guard !given.isEmpty else {
                value.error("'file:' names no file", expected: "file:/etc/tagway/secret")
                return nil
            }
            let path = absolute(given)
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(path, R_OK) == 0 else {
                value.error("secret file \(path) cannot be read", expected: "a readable file whose first line is the secret")
                return nil
            }
            if info.st_mode & 0o004 != 0 {
                value.warning("secret file \(path) is readable by every user", expected: "chmod 0640 (or 0600) \(path)")
            }
            return .file(path)
        }
        value.warning("a secret is written in the configuration file",
                      expected: "env:VARIABLE_NAME or file:/etc/tagway/secret, so the file can be shared without it")
        return .literal(text)
    }

    static func url(_ value: YAMLValue) -> String? {
        guard let text = value.string() else { return nil }
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8 else {
            value.error("'\(text)' is not an http(s) URL", expected: "https://host/path")
            return nil
        }
        return text
    }
}
