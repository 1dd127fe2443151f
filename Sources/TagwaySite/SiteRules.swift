import TagwayModel
import TagwayZones

/// Site-level geofence rules: the gateways' rule syntax, with places named `gateway/zone` (or
/// `gateway/*`, any zone of that gateway), so a rule can say "laptops stay in the offices of
/// these two buildings" across gateways. Door triggers (`alertOn`) are a gateway's concern and
/// are not used here.
public struct SiteRules: Sendable {
    public let rules: [GeofenceRule]

    public init(_ rules: [GeofenceRule]) { self.rules = Array(rules.prefix(64)) }

    /// Bit r set when rule r covers `asset`.
    public func covering(_ asset: AssetRef) -> UInt64 {
        var bits: UInt64 = 0
        for (r, rule) in rules.enumerated() where rule.match.matches(asset) { bits |= 1 << UInt64(r) }
        return bits
    }

    /// Bit r set when rule r (among `covering`) is broken by being at `location`.
    public func violations(of covering: UInt64, at location: SiteLocation) -> UInt64 {
        var bits: UInt64 = 0
        for (r, rule) in rules.enumerated() where covering & (1 << UInt64(r)) != 0 {
            let allowed = rule.allowedZones.isEmpty || rule.allowedZones.contains { Self.names($0, location) }
            let forbidden = rule.forbiddenZones.contains { Self.names($0, location) }
            if !allowed || forbidden { bits |= 1 << UInt64(r) }
        }
        return bits
    }

    static func names(_ pattern: String, _ location: SiteLocation) -> Bool {
        guard let wanted = SiteLocation(pattern) else { return false }
        return wanted.gateway == location.gateway && (wanted.zone == "*" || wanted.zone == location.zone)
    }
}
