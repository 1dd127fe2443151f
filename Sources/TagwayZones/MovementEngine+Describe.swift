import TagwayModel

/// Words for events: the engine knows zones and rules by index; people and the event log need
/// their ids and a reason a facilities team can act on.
extension MovementEngine {
    /// The alert's reason as a sentence, e.g. `outside allowed zones (it-storage, helpdesk): in dock-3`.
    public func reasonText(_ event: ZoneEvent) -> String? {
        if event.evicted { return "evicted: asset table full" }
        guard let reason = event.reason, event.rule >= 0 else { return nil }
        let rule = map.rules[Int(event.rule)]
        let here = zoneID(event.to) ?? "?"
        switch reason {
        case .outsideAllowedZones:
            return "outside allowed zones (\(rule.allowedZones.joined(separator: ", "))): in \(here)"
        case .inForbiddenZone:
            return "in forbidden zone \(here)"
        case .passedOutThroughDoor:
            return "passed out through door \(here)"
        case .passedInThroughDoor:
            return "passed in through door \(here)"
        }
    }
}
