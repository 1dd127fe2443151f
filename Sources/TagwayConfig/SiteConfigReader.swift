import Foundation
import TagwayDelivery
import TagwaySite
import TagwayZones

/// Reads `site.yaml`, the `tagway site` process's file. Every mistake is reported with its file,
/// line and what would be right, and reading goes on to find the next (as the gateway's file).
/// The connection's `servers`, `auth` and `tls` are read by `JetStreamConfigReader`, rules by
/// `RuleConfigReader`, with places named `gateway/zone` instead of a gateway's zone ids;
/// `sinks:` by `SinkConfigReader` and `api:` by `APIConfigReader`, as in a gateway's file.
public enum SiteConfigReader {
    static let topKeys = ["site", "nats", "stream", "consumer", "bucket", "view", "rules", "events", "sinks", "api"]

    public static func load(file: String) throws(ConfigErrors) -> SiteConfiguration {
        try parse(ConfigFile.read(file), file: file)
    }

    public static func parse(_ text: String, file: String) throws(ConfigErrors) -> SiteConfiguration {
        let document = try ConfigDocument(text, file: file, allowed: topKeys)
        let (diagnostics, root, map) = (document.diagnostics, document.root, document.map)
        let absolute = document.absolute
        var site = "site"
        if let node = map["site"] {
            if let id = node.identifier() {
                if id.contains("/") || id.contains(".") {
                    node.error("site '\(id)' holds '.' or '/'", expected: "letters, digits, '-', '_' (it is one token of the subjects)")
                } else { site = id }
            }
        } else {
            root.error("missing key 'site'", expected: "site: campus-north (the gateways' gateway.site)")
        }
        var servers: [String] = []
        var auth: SinkConfig.Auth?
        var tls: SinkConfig.TLS?
        if let node = map["nats"], let nats = node.mapping(allowed: ["servers", "auth", "tls"]) {
            if let list = nats["servers"] { servers = JetStreamConfigReader.servers(list) ?? [] } else {
                node.error("missing key 'servers'", expected: "servers: [nats://nats-1:4222, nats://nats-2:4222]")
            }
            auth = nats["auth"].flatMap { JetStreamConfigReader.auth($0, absolute: absolute) }
            tls = nats["tls"].flatMap { JetStreamConfigReader.tls($0, absolute: absolute) }
        } else if map["nats"] == nil {
            root.error("missing key 'nats'", expected: "nats: { servers: [nats://127.0.0.1:4222] }")
        }
        var config = SiteConfiguration(site: site, servers: servers)
        config.nats.auth = auth
        config.nats.tls = tls
        if let node = map["stream"] { readStream(node, into: &config) }
        if let node = map["consumer"], let name = streamName(node) { config.consumer = name }
        if let node = map["bucket"] { readBucket(node, into: &config) }
        if let node = map["view"] { config.view = readView(node) }
        if let node = map["rules"] {
            let located = RuleConfigReader.read(node, zones: places)
            for rule in located where !rule.rule.alertOn.isEmpty {
                rule.node.error("rule '\(rule.rule.id)' has alertOn", expected: "allowedZones or forbiddenZones (door triggers are a gateway's)")
            }
            if located.count > 64 { node.error("\(located.count) rules", expected: "at most 64 site rules") }
            config.rules = located.map(\.rule)
        }
        if let node = map["events"] { readEvents(node, into: &config) }
        // The gateway's readers: the same entries, the same errors; `{site}` in a JetStream
        // sink's subject is this site.
        if let node = map["sinks"] { config.sinks = SinkConfigReader.readSinks(node, site: site, absolute: absolute) }
        if let node = map["api"] { config.api = APIConfigReader.read(node, absolute: absolute) }
        try diagnostics.check()
        return config
    }

    /// `stream: TAGWAY` or `stream: { name, subjects }` (the filter defaults to `tagway.{site}.>`).
    static func readStream(_ node: YAMLValue, into config: inout SiteConfiguration) {
        if case .scalar = node.node {
            if let name = streamName(node) { config.stream = name }
            return
        }
        guard let map = node.mapping(allowed: ["name", "subjects"]) else { return }
        if let n = map["name"], let name = streamName(n) { config.stream = name }
        if let n = map["subjects"], let text = n.string() {
            if let problem = JetStreamSubject.problem(inSubject: text, wildcards: true) {
                n.error("subjects '\(text)': \(problem)", expected: "a subject filter such as tagway.\(config.site).>")
            } else { config.subjects = text }
        }
    }

    static func readBucket(_ node: YAMLValue, into config: inout SiteConfiguration) {
        if case .scalar = node.node {
            if let name = streamName(node) { config.bucket.name = name }
            return
        }
        guard let map = node.mapping(allowed: ["name", "replicas", "leaseTTL"]) else { return }
        if let n = map["name"], let name = streamName(n) { config.bucket.name = name }
        if let v = map["replicas"]?.int(in: 1...5) { config.bucket.replicas = v }
        if let v = map["leaseTTL"]?.duration(ConfigLimits.timeout) { config.bucket.leaseTTL = v }
    }

    static func readView(_ node: YAMLValue) -> SiteSettings {
        var settings = SiteSettings()
        guard let map = node.mapping(allowed: ["handoverWindow", "reorderWindow", "gapTimeout", "maxClockSkew",
                                               "maxHeldPerGateway", "maxReorderHeld"]) else { return settings }
        if let v = map["handoverWindow"]?.duration(ConfigLimits.holdoff) { settings.handoverWindow = v }
        if let v = map["reorderWindow"]?.duration(ConfigLimits.window) { settings.reorderWindow = v }
        if let v = map["gapTimeout"]?.duration(ConfigLimits.holdoff) { settings.gapTimeout = v }
        if let v = map["maxClockSkew"]?.duration(ConfigLimits.holdoff) { settings.maxClockSkew = v }
        if let v = map["maxHeldPerGateway"]?.int(in: ConfigLimits.heldEvents) { settings.maxHeldPerGateway = v }
        if let v = map["maxReorderHeld"]?.int(in: ConfigLimits.heldEvents) { settings.maxReorderHeld = v }
        for problem in settings.problems { node.error(problem) }
        return settings
    }

    /// `events: { subject, stream: { name, replicas, maxAge, duplicateWindow } }`: the stream's
    /// subjects are the template's (checked to take every site event's subject).
    static func readEvents(_ node: YAMLValue, into config: inout SiteConfiguration) {
        guard let map = node.mapping(allowed: ["subject", "stream"]) else { return }
        if let n = map["subject"], let text = n.string() {
            if let problem = JetStreamSubject.problem(inTemplate: text) {
                n.error("subject '\(text)': \(problem)", expected: "dot-separated tokens such as tagway-site.{site}.{type}")
            } else {
                config.events.subject = text
                if let filter = JetStreamSubject.defaultFilter(for: text.replacingOccurrences(of: "{site}", with: config.site)) { config.events.stream.subjects = [filter] }
            }
        }
        guard let streamNode = map["stream"] else { return }
        // The sink's stream reader, with this file's default name when none is given.
        guard var spec = JetStreamConfigReader.stream(streamNode, template: config.events.subject, site: config.site, parent: node) else { return }
        if case .mapping(let given) = streamNode.node {
            if !given.contains(where: { $0.key.string == "name" }) { spec.name = config.events.stream.name }
            if !given.contains(where: { $0.key.string == "subjects" }) { spec.subjects = config.events.stream.subjects }
        }
        config.events.stream = spec
    }

    /// A stream, consumer or bucket name: letters, digits, '-', '_'.
    static func streamName(_ node: YAMLValue) -> String? {
        guard let name = node.string(maxLength: 255) else { return nil }
        guard !name.isEmpty, !name.contains(where: { ".*>/\\".contains($0) || $0.isWhitespace }) else {
            node.error("name '\(name)' holds a character NATS refuses", expected: "letters, digits, '-', '_' (no '.', '*', '>', '/', spaces)")
            return nil
        }
        return name
    }

    /// A site rule's places: `gateway/zone` or `gateway/*`.
    static func places(_ node: YAMLValue) -> [(String, YAMLValue)] {
        let items: [YAMLValue]
        if case .scalar = node.node { items = [node] } else { items = node.sequence(max: ConfigLimits.maxNamesPerList) ?? [] }
        return items.compactMap { item in
            guard let text = item.string(maxLength: ConfigLimits.maxIDLength) else { return nil }
            guard let place = SiteLocation(text), !place.gateway.contains("*"), place.zone == "*" || !place.zone.contains("*") else {
                item.error("'\(text)' is not a site place", expected: "gateway/zone (dock-a/staging) or gateway/* (any zone of dock-a)")
                return nil
            }
            return (text, item)
        }
    }
}
