import TagwayAPI
import TagwayZones

extension ZoneDirectory {
    /// The zones of a movement configuration as `GET /v1/zones` lists them.
    public init(_ movement: MovementConfiguration) {
        self.init(movement.zones.map { zone in
            Zone(id: zone.id, name: zone.name, mode: zone.mode.rawValue, readPoints: zone.readPoints,
                 doorInside: zone.doorInside, doorOutside: zone.doorOutside)
        })
    }
}
