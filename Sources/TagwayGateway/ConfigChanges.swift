import TagwayConfig
import TagwayModel
import TagwayZones

/// What changed between two versions of the configuration, as sentences a facilities person
/// reads after pressing Apply ("zone dock-2 added", "rule laptops: allowedZones dock-1 → dock-1,
/// dock-2"). Pure: the two configurations in, the sentences out, in file order (gateway,
/// readers, zones, rules, movement, sinks, retention, api, logging).
public enum ConfigChanges {
    public static func between(running: GatewayConfig, loaded: GatewayConfig) -> [String] {
        var out: [String] = []
        // Settings opened at start, by key; readers are told apart below.
        out += RestartSettings.changed(running: running, loaded: loaded)
            .filter { !$0.hasPrefix("readers[") && !$0.hasPrefix("api") && !$0.hasPrefix("zones (") }
            .map { "\($0) changed" }
        // The line a reader is written on is not a setting (an edit above it moves it).
        func readers(_ config: GatewayConfig) -> [(String, ReaderConfig)] {
            config.readers.map { reader in
                var unplaced = reader
                unplaced.line = 0
                return (reader.id, unplaced)
            }
        }
        out += listed("reader", readers(running), readers(loaded)) { _, _ in ["changed"] }
        out += listed("zone", running.movement.zones.map { ($0.id, $0) }, loaded.movement.zones.map { ($0.id, $0) }, zone)
        out += listed("rule", running.movement.rules.map { ($0.id, $0) }, loaded.movement.rules.map { ($0.id, $0) }, rule)
        out += movement(running.movement.settings, loaded.movement.settings)
        if running.filters != loaded.filters { out.append("filters or reference tags changed") }
        out += listed("sink", running.sinks.map { ($0.id, $0) }, loaded.sinks.map { ($0.id, $0) }) { _, _ in ["changed"] }
        if running.retention != loaded.retention { out.append("retention changed") }
        out += api(running.api, loaded.api)
        let (before, after) = (running.logging?.level ?? "info", loaded.logging?.level ?? "info")
        if before != after { out.append("logging.level \(before) → \(after)") }
        return out
    }

    /// `<kind> <id> added|removed`, and `<kind> <id>: <what>` for each entry in both that differs.
    static func listed<T: Equatable>(_ kind: String, _ running: [(String, T)], _ loaded: [(String, T)],
                                     _ differences: (T, T) -> [String]) -> [String] {
        var out: [String] = []
        let before = Dictionary(running, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(loaded, uniquingKeysWith: { first, _ in first })
        for (id, _) in running where after[id] == nil { out.append("\(kind) \(id) removed") }
        for (id, new) in loaded {
            guard let old = before[id] else {
                out.append("\(kind) \(id) added")
                continue
            }
            if old != new { out += differences(old, new).map { $0 == "changed" ? "\(kind) \(id) changed" : "\(kind) \(id): \($0)" } }
        }
        return out
    }

    static func zone(_ old: ZoneSpec, _ new: ZoneSpec) -> [String] {
        var out: [String] = []
        if old.name != new.name { out.append("name \(old.name ?? "(none)") → \(new.name ?? "(none)")") }
        if old.mode != new.mode { out.append("mode \(old.mode.rawValue) → \(new.mode.rawValue)") }
        out += names("aliases", old.aliases, new.aliases)
        out += names("readPoints", old.readPoints, new.readPoints)
        out += names("door inside", old.doorInside, new.doorInside)
        out += names("door outside", old.doorOutside, new.doorOutside)
        return out
    }

    static func rule(_ old: GeofenceRule, _ new: GeofenceRule) -> [String] {
        var out: [String] = []
        if old.match != new.match { out.append("match changed") }
        out += names("allowedZones", old.allowedZones, new.allowedZones)
        out += names("forbiddenZones", old.forbiddenZones, new.forbiddenZones)
        out += names("alertOn", old.alertOn.map(\.rawValue), new.alertOn.map(\.rawValue))
        return out
    }

    static func movement(_ old: MovementSettings, _ new: MovementSettings) -> [String] {
        var out: [String] = []
        func check<T: Equatable>(_ key: String, _ value: (MovementSettings) -> T, _ text: (T) -> String) {
            if value(old) != value(new) { out.append("movement.\(key) \(text(value(old))) → \(text(value(new)))") }
        }
        check("threshold", \.threshold) { "\(decibels($0)) dB" }
        check("holdoff", \.holdoff, milliseconds)
        check("slope", \.slopePerSecond) { "\(decibels($0)) dB/s" }
        check("floor", \.floor) { "\(decibels($0)) dB" }
        check("moveAfterReads", \.moveAfterReads) { "\($0)" }
        check("departAfter", \.departAfter, milliseconds)
        check("maxAssets", \.maxAssets) { "\($0)" }
        return out
    }

    /// Tokens by name (a secret is never shown: a token whose secret changed is "replaced").
    static func api(_ old: APIConfig?, _ new: APIConfig?) -> [String] {
        switch (old, new) {
        case (nil, nil): return []
        case (nil, .some): return ["api added"]
        case (.some, nil): return ["api removed"]
        case (.some(let old), .some(let new)):
            var out: [String] = []
            if old.host != new.host || old.port != new.port { out.append("api.listen \(old.host):\(old.port) → \(new.host):\(new.port)") }
            out += listed("api token", old.tokens.map { ($0.name, $0.secret) }, new.tokens.map { ($0.name, $0.secret) }) { _, _ in
                ["changed"]
            }
            if old.publicEndpoints != new.publicEndpoints {
                out.append("api.public \(old.publicEndpoints.map(\.rawValue).sorted().joined(separator: ", ")) → "
                    + new.publicEndpoints.map(\.rawValue).sorted().joined(separator: ", "))
            }
            if old.tls != new.tls { out.append("api.tls changed") }
            if old.maxStreams != new.maxStreams { out.append("api.maxStreams \(old.maxStreams) → \(new.maxStreams)") }
            if old.maxBodyBytes != new.maxBodyBytes || old.maxHeaderBytes != new.maxHeaderBytes || old.idleTimeout != new.idleTimeout {
                out.append("api limits changed")
            }
            return out
        }
    }

    static func names(_ key: String, _ old: [String], _ new: [String]) -> [String] {
        guard old != new else { return [] }
        func text(_ list: [String]) -> String { list.isEmpty ? "(none)" : list.joined(separator: ", ") }
        return ["\(key) \(text(old)) → \(text(new))"]
    }

    static func decibels(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }

    static func milliseconds(_ duration: Duration) -> String {
        let ms = duration.wholeMilliseconds
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}
