import TagwayAPI
import TagwayConfig
import TagwayModel
import TagwayZones

/// The configuration in force as `GET /v1/config` shows it under `running`: the gateway id and
/// read points opened at start, and the zones, rules and movement tuning of the last reload
/// (the parts a reload swaps). Keys as the YAML writes them, so the console can show them beside
/// the file; durations in milliseconds, as `/v1/tuning`'s settings.
public enum RunningConfigJSON {
    public static func json(started: GatewayConfig, reloaded: GatewayConfig) -> String {
        var w = JSONObjectWriter()
        w.string("gateway", started.gatewayID)
        w.raw("readPoints", array(started.readPoints))
        w.raw("zones", "[" + reloaded.movement.zones.map(zone).joined(separator: ",") + "]")
        w.raw("rules", "[" + reloaded.movement.rules.map(rule).joined(separator: ",") + "]")
        w.raw("movement", movement(reloaded.movement.settings))
        return w.finish()
    }

    static func zone(_ zone: ZoneSpec) -> String {
        var w = JSONObjectWriter()
        w.string("id", zone.id)
        if let name = zone.name { w.string("name", name) }
        if !zone.aliases.isEmpty { w.raw("aliases", array(zone.aliases)) }
        w.string("mode", zone.mode.rawValue)
        w.raw("readPoints", array(zone.readPoints))
        if zone.isDoor {
            var door = JSONObjectWriter()
            door.raw("inside", array(zone.doorInside))
            door.raw("outside", array(zone.doorOutside))
            w.raw("door", door.finish())
        }
        return w.finish()
    }

    static func rule(_ rule: GeofenceRule) -> String {
        var w = JSONObjectWriter()
        w.string("id", rule.id)
        var match = JSONObjectWriter()
        if let v = rule.match.keyPrefix { match.string("keyPrefix", v) }
        if let v = rule.match.scheme { match.string("scheme", v) }
        if let v = rule.match.companyPrefix { match.string("companyPrefix", v) }
        if let v = rule.match.pattern { match.string("pattern", v.source) }
        w.raw("match", match.finish())
        if !rule.allowedZones.isEmpty { w.raw("allowedZones", array(rule.allowedZones)) }
        if !rule.forbiddenZones.isEmpty { w.raw("forbiddenZones", array(rule.forbiddenZones)) }
        if !rule.alertOn.isEmpty { w.raw("alertOn", array(rule.alertOn.map(\.rawValue))) }
        return w.finish()
    }

    static func movement(_ s: MovementSettings) -> String {
        var w = JSONObjectWriter()
        w.raw("threshold", number(s.threshold))
        w.number("holdoffMs", s.holdoff.wholeMilliseconds)
        w.raw("slopePerSecond", number(s.slopePerSecond))
        w.raw("floor", number(s.floor))
        w.number("moveAfterReads", Int64(s.moveAfterReads))
        w.number("departAfterMs", s.departAfter.wholeMilliseconds)
        w.number("maxAssets", Int64(s.maxAssets))
        return w.finish()
    }

    /// A finite number as JSON (the loader refuses non-finite dB values; null guards the rest).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func array(_ texts: [String]) -> String {
        "[" + texts.map(JSONObjectWriter.quote).joined(separator: ",") + "]"
    }
}
