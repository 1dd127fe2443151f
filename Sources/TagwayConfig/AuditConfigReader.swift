import TagwayAudit
import TagwayZones

/// Reads `audit: { freshness, locations, logEvents, maxRows, maxUploadBytes }` and fills in the
/// zones an expected list may name, which come from `zones:` and the readers' read points (a read
/// point no zone lists is a zone of its own).
enum AuditConfigReader {
    static let keys = ["freshness", "locations", "logEvents", "maxRows", "maxUploadBytes"]

    /// `readPoints` nil: the readers did not all parse, so zone names in `locations` are not checked.
    static func read(_ value: YAMLValue?, movement: MovementConfiguration, readPoints: [String]?) -> AuditSettings {
        let zoned = Set(movement.zones.flatMap(\.allReadPoints))
        var zones = movement.zones.map(\.id)
        var seen = Set(zones)
        for point in readPoints ?? [] where !zoned.contains(point) && seen.insert(point).inserted { zones.append(point) }
        var aliases: [String: String] = [:]
        for zone in movement.zones { for alias in zone.aliases { aliases[alias] = zone.id } }
        var settings = AuditSettings(zones: zones, aliases: aliases)
        guard let value, let map = value.mapping(allowed: keys) else { return settings }
        if let v = map["freshness"]?.duration(ConfigLimits.auditFreshness) { settings.freshness = v }
        if let v = map["logEvents"]?.bool() { settings.logEvents = v }
        if let v = map["maxRows"]?.int(in: ConfigLimits.auditRows) { settings.maxRows = v }
        if let v = map["maxUploadBytes"]?.int(in: ConfigLimits.auditUploadBytes) { settings.maxUploadBytes = v }
        if let node = map["locations"] {
            settings.locations = locations(node, settings: settings, check: readPoints != nil)
        }
        return settings
    }

    /// `"HQ Storage Room 2": it-storage`: each value a zone id or alias (stored as the id).
    private static func locations(_ value: YAMLValue, settings: AuditSettings, check: Bool) -> [String: String] {
        guard let entries = value.settings() else { return [:] }
        var out: [String: String] = [:]
        for (location, zone) in entries.sorted(by: { $0.key < $1.key }) {
            guard !location.isEmpty, location.utf8.count <= ConfigLimits.maxTextLength else {
                value.error("location name '\(location.prefix(40))' is empty or too long", expected: "1 to \(ConfigLimits.maxTextLength) characters")
                continue
            }
            if let id = settings.zoneID(zone) {
                out[location] = id
            } else if check {
                let hint = YAMLValue.closest(zone, in: settings.zones).map { " (did you mean '\($0)'?)" } ?? ""
                value.error("location '\(location)' maps to unknown zone '\(zone)'\(hint)",
                            expected: "a zone id or alias, or a read point that no zone lists")
            }
        }
        return out
    }
}
