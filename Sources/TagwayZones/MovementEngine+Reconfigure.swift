/// Swapping the configuration of a running engine (SIGHUP, file change) without losing tags.
extension MovementEngine {
    /// Takes a new zone/rule/tuning configuration and keeps every asset's state: where it is
    /// (its anchor read point, whose zone may now be another one: no event is made for that,
    /// a reload is not a movement), when it was last read, and its door side. Rules are matched
    /// again on each asset's next read; its alert episodes then start from where it is, silently.
    ///
    /// The debouncer and the asset table keep their sizes (`maxPresent`, `maxTags`, `maxAssets` take
    /// effect on a restart), so a reload never drops a tag to make room.
    public mutating func reconfigure(_ new: MovementConfiguration) {
        precondition(new.settings.problems.isEmpty, new.settings.problems.joined(separator: "; "))
        assets.makeUnique()
        let names = (0..<Int32(map.pointZone.count)).map { readPointName($0) }
        let rulesChanged = new.rules != configuration.rules
        configuration = new
        map = ZoneMap(new, readPoints: names)
        evidence = Evidence(new.settings)
        departAfterMs = new.settings.departAfter.wholeMilliseconds
        for asset in assets.occupied {
            let point = assets[asset].anchorPoint
            assets[asset].zone = point >= 0 ? map.pointZone[Int(point)] : -1
            assets[asset].reportedSide = point >= 0 ? map.pointSide[Int(point)] : 0
            assets[asset].leanSide = assets[asset].reportedSide
            assets[asset].otherSlot = nil
            if rulesChanged {
                assets[asset].rulesResolved = false
                assets[asset].rules = 0
                assets[asset].episodes = 0
            } else {
                assets[asset].episodes = map.violations(of: assets[asset].rules, in: assets[asset].zone)
            }
        }
    }
}
