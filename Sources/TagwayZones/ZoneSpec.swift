/// How a zone places assets.
public enum ZoneMode: String, Sendable, Hashable, CaseIterable {
    /// RFID presence: placement by evidence (RSSI or read counts), departure after silence.
    case presence
    /// A scan station: one barcode scan places the asset here at once, and it stays placed until
    /// it is seen somewhere else (a scan is a deliberate act, not a signal that fades).
    case scan
}

/// One zone as configured: a named place made of read points (DESIGN §3 `zones:`).
///
/// A door zone lists its read points by side instead of in `readPoints`; the order in which the
/// sides win a tag gives the direction of a crossing.
public struct ZoneSpec: Sendable, Hashable {
    public var id: String
    public var name: String?
    /// Other names rules may use for this zone (old room numbers, the name on the floor plan).
    public var aliases: [String]
    public var readPoints: [String]
    public var doorInside: [String]
    public var doorOutside: [String]
    public var mode: ZoneMode

    public init(id: String, name: String? = nil, aliases: [String] = [], readPoints: [String] = [],
                doorInside: [String] = [], doorOutside: [String] = [], mode: ZoneMode = .presence) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.readPoints = readPoints
        self.doorInside = doorInside
        self.doorOutside = doorOutside
        self.mode = mode
    }

    public var isDoor: Bool { !doorInside.isEmpty || !doorOutside.isEmpty }

    /// Every read point of the zone, door sides included.
    public var allReadPoints: [String] { readPoints + doorInside + doorOutside }
}
