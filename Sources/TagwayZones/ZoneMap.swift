/// The configuration compiled for the hot path: read point index → zone and door side, and per
/// zone, bit masks of the rules that allow or forbid it.
///
/// Read points are numbered by the engine (the debouncer knows them by index). A read point that
/// no configured zone lists is a zone of its own, named after the read point, so a gateway with
/// no `zones:` reports movements between read points and nothing read is ever dropped.
struct ZoneMap: Sendable {
    static let noZone: Int16 = -1
    static let inside: UInt8 = 1
    static let outside: UInt8 = 2

    private(set) var zoneIDs: [String] = []
    private(set) var modes: [ZoneMode] = []
    private(set) var doors: [Bool] = []
    /// Bit r: rule r lists this zone in `allowedZones`.
    private(set) var allowedBy: [UInt64] = []
    /// Bit r: rule r lists this zone in `forbiddenZones`.
    private(set) var forbiddenBy: [UInt64] = []
    private(set) var pointZone: [Int16] = []
    private(set) var pointSide: [UInt8] = []

    /// Rules with a non-empty `allowedZones` (being anywhere else violates them).
    let rulesWithAllowed: UInt64
    let rulesAlertOut: UInt64
    let rulesAlertIn: UInt64
    let rules: [GeofenceRule]

    private var configured: [String: (zone: Int16, side: UInt8)] = [:]
    private var zoneNames: [[String]] = []

    init(_ configuration: MovementConfiguration, readPoints: [String]) {
        rules = Array(configuration.rules.prefix(MovementConfiguration.maxRules))
        var withAllowed: UInt64 = 0, out: UInt64 = 0, inward: UInt64 = 0
        for (r, rule) in rules.enumerated() {
            let bit: UInt64 = 1 << UInt64(r)
            if !rule.allowedZones.isEmpty { withAllowed |= bit }
            if rule.alertOn.contains(.passedOut) { out |= bit }
            if rule.alertOn.contains(.passedIn) { inward |= bit }
        }
        rulesWithAllowed = withAllowed
        rulesAlertOut = out
        rulesAlertIn = inward
        for spec in configuration.zones where !zoneIDs.contains(spec.id) {
            let zone = addZone(id: spec.id, names: [spec.id] + spec.aliases, mode: spec.mode, door: spec.isDoor)
            for point in spec.readPoints where configured[point] == nil { configured[point] = (zone, 0) }
            for point in spec.doorInside where configured[point] == nil { configured[point] = (zone, Self.inside) }
            for point in spec.doorOutside where configured[point] == nil { configured[point] = (zone, Self.outside) }
        }
        for point in readPoints { addReadPoint(point) }
    }

    var zoneCount: Int { zoneIDs.count }

    /// Places the next read point (index `pointZone.count`) in its zone, making an implicit zone
    /// for it when no configured zone lists it.
    mutating func addReadPoint(_ name: String) {
        if let (zone, side) = configured[name] {
            pointZone.append(zone)
            pointSide.append(side)
        } else {
            let zone = zoneIDs.firstIndex(of: name).map { Int16($0) }
                ?? addZone(id: name, names: [name], mode: .presence, door: false)
            pointZone.append(zone)
            pointSide.append(0)
        }
    }

    /// The zone with this id, adding it (a presence zone of no read point) when the
    /// configuration has none: a restored asset departs from the zone it was in, even a removed one.
    mutating func zone(id: String) -> Int16 {
        if let index = zoneIDs.firstIndex(of: id) { return Int16(index) }
        return addZone(id: id, names: [id], mode: .presence, door: false)
    }

    /// Bits of the rules in `rules` that an asset in `zone` violates.
    func violations(of rules: UInt64, in zone: Int16) -> UInt64 {
        guard zone >= 0 else { return 0 }
        let z = Int(zone)
        return rules & ((rulesWithAllowed & ~allowedBy[z]) | forbiddenBy[z])
    }

    private mutating func addZone(id: String, names: [String], mode: ZoneMode, door: Bool) -> Int16 {
        var allowed: UInt64 = 0, forbidden: UInt64 = 0
        for (r, rule) in rules.enumerated() {
            if rule.allowedZones.contains(where: names.contains) { allowed |= 1 << UInt64(r) }
            if rule.forbiddenZones.contains(where: names.contains) { forbidden |= 1 << UInt64(r) }
        }
        zoneIDs.append(id)
        zoneNames.append(names)
        modes.append(mode)
        doors.append(door)
        allowedBy.append(allowed)
        forbiddenBy.append(forbidden)
        return Int16(zoneIDs.count - 1)
    }
}
