import TagwayZones

/// Reads `zones:` (DESIGN §3): `{ id, name, aliases, readPoints, door: { inside, outside }, mode }`.
///
/// Each zone keeps its YAML node and the node of every read point it names, so the checks that
/// look across zones (`MovementConfigReader`) can point at the exact line of a mistake.
enum ZoneConfigReader {
    static let keys = ["id", "name", "aliases", "readPoints", "door", "mode"]

    struct Located {
        var spec: ZoneSpec
        var node: YAMLValue
        /// Every read point the zone names, with where it is written.
        var points: [(name: String, node: YAMLValue)]
    }

    static func read(_ list: YAMLValue) -> [Located] {
        guard let entries = list.sequence(max: ConfigLimits.maxZones) else { return [] }
        return entries.compactMap(readOne)
    }

    private static func readOne(_ value: YAMLValue) -> Located? {
        guard let map = value.mapping(allowed: keys) else { return nil }
        guard let id = value.requiredID(in: map, example: "dock-3") else { return nil }
        var spec = ZoneSpec(id: id)
        var points: [(String, YAMLValue)] = []
        spec.name = map["name"]?.string()
        if let node = map["aliases"] { spec.aliases = located(node).map(\.0) }
        if let node = map["readPoints"] {
            let list = located(node)
            spec.readPoints = list.map(\.0)
            points += list
        }
        if let node = map["mode"], let text = node.string() {
            if let mode = ZoneMode(rawValue: text) { spec.mode = mode } else {
                node.error("unknown mode '\(text)'", expected: "presence or scan")
            }
        }
        if let node = map["door"], let door = node.mapping(allowed: ["inside", "outside"]) {
            let inside = door["inside"].map(located) ?? []
            let outside = door["outside"].map(located) ?? []
            spec.doorInside = inside.map(\.0)
            spec.doorOutside = outside.map(\.0)
            points += inside + outside
            if inside.isEmpty || outside.isEmpty {
                node.error("a door needs read points on both sides", expected: "door: { inside: [door3-in], outside: [door3-out] }")
            }
            if map["readPoints"] != nil {
                map["readPoints"]?.error("a door zone lists its read points by side", expected: "only door: { inside: [...], outside: [...] }")
            }
            if spec.mode == .scan { map["mode"]?.error("a door cannot be a scan station", expected: "mode: presence (or no mode)") }
        }
        if points.isEmpty, map["door"] == nil {
            value.error("zone '\(id)' has no read points", expected: "readPoints: [a read point of a reader] or door: { inside, outside }")
        }
        return Located(spec: spec, node: value, points: points)
    }

    /// Identifiers of a list (or a single one), each with its own node for errors.
    static func located(_ node: YAMLValue) -> [(String, YAMLValue)] {
        if case .scalar = node.node { return node.identifier().map { [($0, node)] } ?? [] }
        return node.sequence(max: ConfigLimits.maxNamesPerList)?.compactMap { item in item.identifier().map { ($0, item) } } ?? []
    }
}
