/// Everything the movement engine is configured with; swapped whole on a reload.
public struct MovementConfiguration: Sendable, Hashable {
    public var zones: [ZoneSpec]
    public var rules: [GeofenceRule]
    public var settings: MovementSettings

    /// Rules an engine can hold: each asset keeps one bit per rule for its alert episodes.
    public static let maxRules = 64

    public init(zones: [ZoneSpec] = [], rules: [GeofenceRule] = [], settings: MovementSettings = MovementSettings()) {
        self.zones = zones
        self.rules = rules
        self.settings = settings
    }
}
