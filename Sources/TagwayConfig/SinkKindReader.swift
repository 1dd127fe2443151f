/// Reads the destination part of one sink (`webhook:`, `mqtt:`, `epcis:`, `snipeit:`).
enum SinkKindReader {
    static func webhook(_ value: YAMLValue, absolute: (String) -> String) -> SinkConfig.Webhook? {
        guard let map = value.mapping(allowed: ["url", "secret", "format", "timeout", "caFile"]) else { return nil }
        // Every key is checked before a missing or bad url ends the entry, so one pass shows every mistake.
        if map["url"] == nil { value.error("missing key 'url'", expected: "url: https://itam.example/hooks/tagway") }
        let url = map["url"].flatMap(SinkConfigReader.url)
        var config = SinkConfig.Webhook(url: url ?? "")
        config.secret = map["secret"].flatMap { SinkConfigReader.secret($0, absolute: absolute) }
        if let node = map["format"], let text = node.string() {
            if ["json", "cloudevents"].contains(text) { config.format = text } else {
                node.error("unknown format '\(text)'", expected: "json or cloudevents")
            }
        }
        if let v = map["timeout"]?.duration(ConfigLimits.timeout) { config.timeout = v }
        if let v = map["caFile"]?.string() { config.caFile = absolute(v) }
        return url == nil ? nil : config
    }

    static func mqtt(_ value: YAMLValue, absolute: (String) -> String) -> SinkConfig.MQTT? {
        let keys = ["host", "port", "topic", "qos", "clientId", "username", "password", "tls", "caFile", "keepAlive"]
        guard let map = value.mapping(allowed: keys) else { return nil }
        if map["host"] == nil { value.error("missing key 'host'", expected: "host: broker.example") }
        let host = map["host"]?.string(maxLength: 253)
        var config = SinkConfig.MQTT(host: host ?? "")
        if let v = map["port"]?.int(in: 1...65535) { config.port = v }
        if let v = map["topic"]?.string() { config.topic = v }
        if let node = map["qos"], let v = node.int(in: 0...2) {
            if v == 1 { config.qos = v } else { node.error("qos \(v) is not supported", expected: "1 (delivered = acknowledged by the broker)") }
        }
        if let v = map["clientId"]?.identifier() { config.clientID = v }
        if let v = map["username"]?.string(maxLength: ConfigLimits.maxIDLength) { config.username = v }
        config.password = map["password"].flatMap { SinkConfigReader.secret($0, absolute: absolute) }
        if let v = map["tls"]?.bool() { config.tls = v }
        if let v = map["caFile"]?.string() { config.caFile = absolute(v) }
        if let v = map["keepAlive"]?.duration(ConfigLimits.keepAlive) { config.keepAlive = max(.seconds(5), v) }
        return host == nil ? nil : config
    }

    static func epcis(_ value: YAMLValue, absolute: (String) -> String) -> SinkConfig.EPCIS? {
        guard let map = value.mapping(allowed: ["url", "zones", "token", "timeout", "caFile"]) else { return nil }
        if map["url"] == nil { value.error("missing key 'url'", expected: "url: https://epcis.example/capture") }
        let url = map["url"].flatMap(SinkConfigReader.url)
        var zones: [String: SinkConfig.EPCISZone] = [:]
        if let node = map["zones"], case .mapping(let mapping) = node.node {
            if mapping.count > ConfigLimits.maxEntriesPerMap {
                node.error("\(mapping.count) zones", expected: "at most \(ConfigLimits.maxEntriesPerMap)")
            }
            let entries = node.mapping(allowed: mapping.keys.compactMap(\.string)) ?? [:]
            for (zone, entry) in entries {
                guard let fields = entry.mapping(allowed: ["readPoint", "bizLocation"]) else { continue }
                guard let readPoint = fields["readPoint"]?.string(), let bizLocation = fields["bizLocation"]?.string() else {
                    entry.error("zone '\(zone)' needs readPoint and bizLocation", expected: "{ readPoint: urn:epc:id:sgln:…, bizLocation: urn:epc:id:sgln:… }")
                    continue
                }
                for (name, urn) in [("readPoint", readPoint), ("bizLocation", bizLocation)] where !urn.hasPrefix("urn:") && !urn.hasPrefix("http") {
                    fields[name]?.error("'\(urn)' is not a URN", expected: "urn:epc:id:sgln:… or an https:// identifier")
                }
                zones[zone] = SinkConfig.EPCISZone(readPoint: readPoint, bizLocation: bizLocation)
            }
        } else {
            (map["zones"] ?? value).error("missing or empty 'zones'", expected: "zones: { dock-3: { readPoint: urn…, bizLocation: urn… } }")
        }
        var config = SinkConfig.EPCIS(url: url ?? "", zones: zones)
        config.token = map["token"].flatMap { SinkConfigReader.secret($0, absolute: absolute) }
        if let v = map["timeout"]?.duration(ConfigLimits.timeout) { config.timeout = v }
        if let v = map["caFile"]?.string() { config.caFile = absolute(v) }
        return url == nil ? nil : config
    }

    static func snipeit(_ value: YAMLValue, absolute: (String) -> String) -> SinkConfig.SnipeIT? {
        let keys = ["url", "token", "locations", "assetTag", "timeout", "caFile", "requestsPerMinute", "forwardUnknown"]
        guard let map = value.mapping(allowed: keys) else { return nil }
        if map["url"] == nil { value.error("missing key 'url'", expected: "url: https://snipeit.example") }
        if map["token"] == nil { value.error("missing key 'token'", expected: "token: env:SNIPEIT_TOKEN") }
        let url = map["url"].flatMap(SinkConfigReader.url)
        let token = map["token"].flatMap { SinkConfigReader.secret($0, absolute: absolute) }
        var locations: [String: Int] = [:]
        if let node = map["locations"], case .mapping(let mapping) = node.node {
            if mapping.count > ConfigLimits.maxEntriesPerMap {
                node.error("\(mapping.count) locations", expected: "at most \(ConfigLimits.maxEntriesPerMap)")
            }
            let entries = node.mapping(allowed: mapping.keys.compactMap(\.string)) ?? [:]
            for (zone, entry) in entries { if let id = entry.int(in: 1...Int(Int32.max)) { locations[zone] = id } }
        } else {
            (map["locations"] ?? value).error("missing 'locations'", expected: "locations: { dock-3: 12 } (zone id → Snipe-IT location id)")
        }
        var config = SinkConfig.SnipeIT(url: url ?? "", token: token ?? .literal(""), locations: locations)
        if let node = map["assetTag"], let text = node.string() {
            if ["raw", "key"].contains(text) { config.assetTag = text } else { node.error("unknown assetTag '\(text)'", expected: "raw or key") }
        }
        if let v = map["timeout"]?.duration(ConfigLimits.timeout) { config.timeout = v }
        if let v = map["caFile"]?.string() { config.caFile = absolute(v) }
        if let v = map["requestsPerMinute"]?.int(in: 1...6000) { config.requestsPerMinute = v }
        if let v = map["forwardUnknown"]?.bool() { config.forwardUnknown = v }
        return url == nil || token == nil ? nil : config
    }
}
