import TagwayZones

/// Reads `rules:`: `{ id, match: { keyPrefix | scheme | companyPrefix | pattern }, allowedZones,
/// forbiddenZones, alertOn: [passed-out, passed-in] }`.
enum RuleConfigReader {
    static let keys = ["id", "match", "allowedZones", "forbiddenZones", "alertOn"]
    static let matchKeys = ["keyPrefix", "scheme", "companyPrefix", "pattern"]

    struct Located {
        var rule: GeofenceRule
        var node: YAMLValue
        /// Zone names the rule uses, with where they are written.
        var zoneNames: [(name: String, node: YAMLValue)]
    }

    /// `zones`: how a zone list is read; a gateway's are its zone ids, a site's are
    /// `gateway/zone` places (`SiteConfigReader`), with the rest of the syntax the same.
    static func read(_ list: YAMLValue, zones: (YAMLValue) -> [(String, YAMLValue)] = ZoneConfigReader.located) -> [Located] {
        guard let entries = list.sequence(max: ConfigLimits.maxZones) else { return [] }
        return entries.compactMap { readOne($0, zones: zones) }
    }

    private static func readOne(_ value: YAMLValue, zones: (YAMLValue) -> [(String, YAMLValue)]) -> Located? {
        guard let map = value.mapping(allowed: keys) else { return nil }
        guard let id = value.requiredID(in: map, example: "laptops-stay-inside") else { return nil }
        guard let matchNode = map["match"] else {
            value.error("rule '\(id)' has no match", expected: "match: { keyPrefix: \"urn:epc:id:giai:0614141.\" } (or scheme, companyPrefix, pattern)")
            return nil
        }
        guard let m = matchNode.mapping(allowed: matchKeys) else { return nil }
        if m.isEmpty { matchNode.error("match has no condition", expected: "one or more of \(matchKeys.joined(separator: ", "))") }
        var match = AssetMatch(keyPrefix: m["keyPrefix"]?.string(), scheme: m["scheme"]?.string(),
                               companyPrefix: m["companyPrefix"]?.string())
        if let node = m["pattern"], let source = node.string(maxLength: 512) {
            do { match.pattern = try Pattern(source) } catch {
                node.error("'\(source)' is not a valid regular expression: \(error)", expected: "a regular expression such as ^urn:epc:id:giai:0614141\\.")
            }
        }
        if let prefix = match.companyPrefix, !prefix.allSatisfy(\.isNumber) || !(6...12).contains(prefix.count) {
            m["companyPrefix"]?.error("'\(prefix)' is not a GS1 company prefix", expected: "6 to 12 digits, e.g. 0614141")
        }
        let allowed = map["allowedZones"].map(zones) ?? []
        let forbidden = map["forbiddenZones"].map(zones) ?? []
        var triggers: [GeofenceRule.Trigger] = []
        for (name, node) in map["alertOn"].map(ZoneConfigReader.located) ?? [] {
            if let trigger = GeofenceRule.Trigger(rawValue: name) { triggers.append(trigger) } else {
                node.error("unknown alertOn '\(name)'", expected: GeofenceRule.Trigger.allCases.map(\.rawValue).joined(separator: " or "))
            }
        }
        for (name, node) in forbidden where allowed.contains(where: { $0.0 == name }) {
            node.error("zone '\(name)' is both allowed and forbidden", expected: "each zone in at most one of allowedZones, forbiddenZones")
        }
        if allowed.isEmpty, forbidden.isEmpty, triggers.isEmpty {
            value.error("rule '\(id)' has nothing to check", expected: "allowedZones, forbiddenZones or alertOn")
        }
        let rule = GeofenceRule(id: id, match: match, allowedZones: allowed.map(\.0), forbiddenZones: forbidden.map(\.0),
                                alertOn: triggers)
        return Located(rule: rule, node: value, zoneNames: allowed + forbidden)
    }
}
