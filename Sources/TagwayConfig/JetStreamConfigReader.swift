import Foundation
import TagwayDelivery

/// Reads `sinks[].jetstream` (issue 17): servers, subject template, the stream, the window, the
/// login and TLS. Like the other sink readers, every mistake is reported with its line and
/// what would be right, and reading goes on.
enum JetStreamConfigReader {
    static let keys = ["servers", "subject", "stream", "maxInFlight", "ackTimeout", "auth", "tls"]

    /// `site`: the `{site}` the subjects will have (nil: any), for the check that the stream
    /// takes them.
    static func read(_ value: YAMLValue, site: String?, absolute: (String) -> String) -> SinkConfig.JetStream? {
        guard let map = value.mapping(allowed: keys) else { return nil }
        if map["servers"] == nil { value.error("missing key 'servers'", expected: "servers: [nats://nats-1:4222, nats://nats-2:4222]") }
        let servers = map["servers"].flatMap(self.servers)
        var subject = JetStreamSubject.defaultTemplate
        if let node = map["subject"], let text = node.string() {
            if let problem = JetStreamSubject.problem(inTemplate: text) {
                node.error("subject '\(text)': \(problem)", expected: "dot-separated tokens such as \(JetStreamSubject.defaultTemplate)")
            } else { subject = text }
        }
        let stream = self.stream(map["stream"], template: subject, site: site, parent: value)
        var config = SinkConfig.JetStream(servers: servers ?? [], stream: stream ?? JetStreamStreamSpec(name: "", subjects: []))
        config.subject = subject
        if let v = map["maxInFlight"]?.int(in: 1...65_536) { config.maxInFlight = v }
        if let v = map["ackTimeout"]?.duration(ConfigLimits.timeout) { config.ackTimeout = v }
        config.auth = map["auth"].flatMap { auth($0, absolute: absolute) }
        config.tls = map["tls"].flatMap { tls($0, absolute: absolute) }
        return servers == nil || stream == nil ? nil : config
    }

    static func servers(_ value: YAMLValue) -> [String]? {
        guard let list = value.sequence(max: 64) else { return nil }
        guard !list.isEmpty else {
            value.error("no servers", expected: "at least one nats://host:port")
            return nil
        }
        var urls: [String] = []
        for entry in list {
            guard let text = entry.string(maxLength: 1_024) else { continue }
            let scheme = ["nats://", "tls://"].first { text.hasPrefix($0) }
            guard let scheme, text.count > scheme.count, !text.contains(" "), !text.contains(",") else {
                entry.error("'\(text)' is not a NATS server URL", expected: "nats://host:4222 (tls://host:4222 for TLS)")
                continue
            }
            urls.append(text)
        }
        return urls.count == list.count ? urls : nil
    }

    /// `stream: { name, subjects, replicas, maxAge, duplicateWindow, create }`; all optional:
    /// the default is stream TAGWAY taking the template's subjects (`tagway.>`), created if missing.
    static func stream(_ value: YAMLValue?, template: String, site: String?, parent: YAMLValue) -> JetStreamStreamSpec? {
        let defaultFilter = JetStreamSubject.defaultFilter(for: template)
        var spec = JetStreamStreamSpec(name: "TAGWAY", subjects: defaultFilter.map { [$0] } ?? [])
        var failed = false
        if let value {
            guard let map = value.mapping(allowed: ["name", "subjects", "replicas", "maxAge", "duplicateWindow", "create"]) else { return nil }
            if let node = map["name"], let name = node.string(maxLength: 255) {
                if name.contains(where: { ".*>/\\".contains($0) || $0.isWhitespace }) {
                    node.error("stream name '\(name)' holds a character NATS refuses", expected: "letters, digits, '-', '_' (no '.', '*', '>', '/', spaces)")
                    failed = true
                } else { spec.name = name }
            }
            if let node = map["subjects"], let list = node.sequence(max: 64) {
                var subjects: [String] = []
                for entry in list {
                    guard let text = entry.string() else { failed = true; continue }
                    if let problem = JetStreamSubject.problem(inSubject: text, wildcards: true) {
                        entry.error("stream subject '\(text)': \(problem)", expected: "a subject filter such as tagway.>")
                        failed = true
                    } else { subjects.append(text) }
                }
                if list.isEmpty {
                    node.error("no subjects", expected: "subjects: [tagway.>]")
                    failed = true
                }
                spec.subjects = subjects
            }
            if let v = map["replicas"]?.int(in: 1...5) { spec.replicas = v }
            if let v = map["maxAge"]?.duration(ConfigLimits.retentionAge) { spec.maxAge = v }
            if let v = map["duplicateWindow"]?.duration(ConfigLimits.duplicateWindow) { spec.duplicateWindow = v }
            if let v = map["create"]?.bool() { spec.create = v }
        }
        let at = value ?? parent
        if spec.subjects.isEmpty, !failed {
            at.error("the stream's subjects cannot be derived from subject '\(template)' (it starts with a placeholder)",
                     expected: "stream: { subjects: [\"...\"] }")
            return nil
        }
        if !failed, !JetStreamSubject.covered(template: template, site: site, by: spec.subjects) {
            at.error("stream subjects \(spec.subjects) do not take every subject of '\(template)'" + (site.map { " (site \($0))" } ?? ""),
                     expected: "a filter such as \(defaultFilter ?? "tagway.>")")
            return nil
        }
        return failed ? nil : spec
    }

    /// Exactly one of `{ user, password }`, `token`, `nkeySeed`, `creds`.
    static func auth(_ value: YAMLValue, absolute: (String) -> String) -> SinkConfig.Auth? {
        guard let map = value.mapping(allowed: ["user", "password", "token", "nkeySeed", "creds"]) else { return nil }
        let kinds = [map["user"] != nil || map["password"] != nil, map["token"] != nil, map["nkeySeed"] != nil, map["creds"] != nil]
        guard kinds.filter({ $0 }).count == 1 else {
            value.error(kinds.contains(true) ? "several ways to log in" : "no way to log in",
                        expected: "one of { user, password }, token, nkeySeed, creds")
            return nil
        }
        if map["user"] != nil || map["password"] != nil {
            guard let userNode = map["user"], let passwordNode = map["password"] else {
                value.error("user and password go together", expected: "{ user: tagway, password: \"env:NATS_PASSWORD\" }")
                return nil
            }
            guard let user = userNode.string(maxLength: ConfigLimits.maxIDLength),
                  let password = SinkConfigReader.secret(passwordNode, absolute: absolute) else { return nil }
            return .user(name: user, password: password)
        }
        if let node = map["token"] { return SinkConfigReader.secret(node, absolute: absolute).map { .token($0) } }
        if let node = map["nkeySeed"] { return SinkConfigReader.secret(node, absolute: absolute).map { .nkeySeed($0) } }
        guard let node = map["creds"], let path = readableFile(node, absolute: absolute, what: "credentials file") else { return nil }
        return .creds(path: path)
    }

    /// `tls: { ca, cert, key }`: files readable now; cert and key together.
    static func tls(_ value: YAMLValue, absolute: (String) -> String) -> SinkConfig.TLS? {
        guard let map = value.mapping(allowed: ["ca", "cert", "key"]) else { return nil }
        var tls = SinkConfig.TLS()
        tls.ca = map["ca"].flatMap { readableFile($0, absolute: absolute, what: "CA file") }
        tls.cert = map["cert"].flatMap { readableFile($0, absolute: absolute, what: "certificate file") }
        tls.key = map["key"].flatMap { readableFile($0, absolute: absolute, what: "key file") }
        if (map["cert"] == nil) != (map["key"] == nil) {
            value.error("a client certificate needs both cert and key", expected: "tls: { ca: ca.pem, cert: client.pem, key: client.key }")
            return nil
        }
        return tls
    }

    static func readableFile(_ node: YAMLValue, absolute: (String) -> String, what: String) -> String? {
        guard let given = node.string() else { return nil }
        let path = absolute(given)
        guard FileManager.default.isReadableFile(atPath: path) else {
            node.error("\(what) \(path) cannot be read", expected: "a readable file")
            return nil
        }
        return path
    }
}
