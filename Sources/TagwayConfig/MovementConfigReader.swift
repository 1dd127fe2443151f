import Foundation
import TagwayDebounce
import TagwayZones

/// Reads `zones:`, `rules:` and `movement:` together and checks them against each other and
/// against the readers' read points: duplicate ids and aliases, a read point in two zones (or
/// two doors, or both sides of one), read points no reader has, rules naming unknown zones.
public enum MovementConfigReader {
    static let movementKeys = ["threshold", "holdoff", "slope", "floor", "moveAfterReads", "departAfter", "maxAssets"]

    /// Parses only the movement sections of a YAML document (other top-level keys are ignored):
    /// for scenario fixtures and tools that test zone layouts without readers.
    public static func parse(_ text: String, file: String, readPoints: [String]? = nil) throws(ConfigErrors) -> MovementConfiguration {
        let diagnostics = Diagnostics()
        let root = YAMLValue(node: try YAMLDocument.parse(text, file: file), file: file, path: "", diagnostics: diagnostics)
        guard case .mapping(let mapping) = root.node else {
            root.error("is \(root.kind)", expected: "a mapping with zones, rules, movement")
            throw ConfigErrors(diagnostics.errors)
        }
        var sections: [String: YAMLValue] = [:]
        for (key, value) in mapping {
            guard let name = key.string, ["zones", "rules", "movement"].contains(name) else { continue }
            sections[name] = YAMLValue(node: value, file: file, path: name, diagnostics: diagnostics)
        }
        let config = read(sections, readPoints: readPoints, debounce: DebouncerConfiguration())
        try diagnostics.check()
        return config
    }

    /// `readPoints`: every read point the readers provide (nil: not known, not checked).
    static func read(_ map: [String: YAMLValue], readPoints: [String]?, debounce: DebouncerConfiguration) -> MovementConfiguration {
        var settings = MovementSettings(departAfter: debounce.departAfter, maxAssets: min(debounce.maxTags ?? debounce.maxPresent, debounce.maxPresent))
        if let node = map["movement"] { settings = readSettings(node, base: settings) }
        let zones = map["zones"].map(ZoneConfigReader.read) ?? []
        let rules = map["rules"].map { RuleConfigReader.read($0) } ?? []
        checkZones(zones, readPoints: readPoints)
        checkRules(rules, zones: zones, readPoints: readPoints)
        return MovementConfiguration(zones: zones.map(\.spec), rules: rules.map(\.rule), settings: settings)
    }

    private static func readSettings(_ value: YAMLValue, base: MovementSettings) -> MovementSettings {
        var s = base
        guard let map = value.mapping(allowed: movementKeys) else { return s }
        if let v = map["threshold"]?.decibels() { s.threshold = v }
        if let v = map["holdoff"]?.duration(ConfigLimits.holdoff) { s.holdoff = v }
        if let v = map["slope"]?.decibels() { s.slopePerSecond = v }
        if let v = map["floor"]?.decibels() { s.floor = v }
        if let v = map["moveAfterReads"]?.int(in: 1...1000) { s.moveAfterReads = v }
        if let v = map["departAfter"]?.duration(ConfigLimits.departAfter) { s.departAfter = v }
        if let v = map["maxAssets"]?.int(in: 1...10_000_000) { s.maxAssets = v }
        for problem in s.problems { value.error(problem) }
        return s
    }

    private static func checkZones(_ zones: [ZoneConfigReader.Located], readPoints: [String]?) {
        let knownPoints = readPoints.map(Set.init)
        var names: [String: (zone: String, line: Int)] = [:]
        var owners: [String: (zone: String, line: Int)] = [:]
        for zone in zones {
            for (name, isAlias) in [(zone.spec.id, false)] + zone.spec.aliases.map({ ($0, true) }) {
                if let first = names[name] {
                    zone.node.error("\(isAlias ? "alias" : "zone id") '\(name)' is already used by zone '\(first.zone)' (line \(first.line))",
                                    expected: "unique zone ids and aliases")
                } else {
                    names[name] = (zone.spec.id, zone.node.line)
                }
            }
            for (point, node) in zone.points {
                if let owner = owners[point] {
                    let what = owner.zone == zone.spec.id ? "is listed twice in zone '\(owner.zone)'" : "is already in zone '\(owner.zone)' (line \(owner.line))"
                    node.error("read point '\(point)' \(what)", expected: "each read point in one zone, on one side of one door")
                } else {
                    owners[point] = (zone.spec.id, node.line)
                }
                if let readPoints, let knownPoints, !knownPoints.contains(point) {
                    let hint = YAMLValue.closest(point, in: readPoints).map { " (did you mean '\($0)'?)" } ?? ""
                    node.error("unknown read point '\(point)'\(hint)",
                               expected: readPoints.isEmpty ? "a read point of a reader" : "one of \(readPoints.joined(separator: ", "))")
                }
            }
        }
    }

    private static func checkRules(_ rules: [RuleConfigReader.Located], zones: [ZoneConfigReader.Located], readPoints: [String]?) {
        var ids: [String: Int] = [:]
        let zoned = Set(zones.flatMap { $0.points.map(\.name) })
        // A read point no zone lists is a zone of its own, so rules may name it too.
        let known = zones.flatMap { [$0.spec.id] + $0.spec.aliases } + (readPoints ?? []).filter { !zoned.contains($0) }
        let knownSet = Set(known)
        for rule in rules {
            if let first = ids[rule.rule.id] {
                rule.node.error("rule id '\(rule.rule.id)' is used twice (first on line \(first))", expected: "a unique id per rule")
            }
            ids[rule.rule.id] = ids[rule.rule.id] ?? rule.node.line
            for (name, node) in rule.zoneNames where !knownSet.contains(name) {
                let hint = YAMLValue.closest(name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                node.error("unknown zone '\(name)'\(hint)", expected: "a zone id or alias, or a read point that no zone lists")
            }
        }
        if rules.count > MovementConfiguration.maxRules, let extra = rules.dropFirst(MovementConfiguration.maxRules).first {
            extra.node.error("too many rules (\(rules.count))", expected: "at most \(MovementConfiguration.maxRules)")
        }
    }
}

extension YAMLValue {
    /// A number of dB (or dB per second), possibly negative or fractional.
    func decibels() -> Double? {
        guard case .scalar(let scalar) = node else {
            error("is \(kind)", expected: "a number of dB such as 6 or -8")
            return nil
        }
        let text = scalar.string.hasSuffix("dB") ? String(scalar.string.dropLast(2)) : scalar.string
        let range = ConfigLimits.decibels
        guard let value = Self.plainNumber(Substring(text.trimmingCharacters(in: .whitespaces))) else {
            error("'\(scalar.string)' is not a number", expected: "a number of dB such as 6 or -8")
            return nil
        }
        guard range.contains(value) else {
            error("\(scalar.string) is out of range", expected: "a number of dB from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
            return nil
        }
        return value
    }
}
