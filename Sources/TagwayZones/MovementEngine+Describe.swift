import TagwayModel

/// Words for events: the engine knows zones and rules by index; people and the event log need
/// their ids and a reason a facilities team can act on.
extension MovementEngine {
    /// The alert's reason as a sentence, e.g. `outside allowed zones (it-storage, helpdesk): in dock-3`;
    /// for a departure, why it departed when it was not simply silent.
    public func reasonText(_ event: ZoneEvent) -> String? {
        switch event.cause {
        case .silent: break
        case .evicted: return "evicted: asset table full"
        case .notSeenSinceRestart: return "not seen since restart"
        case .readPointRemoved: return "read point \(readPointName(event.readPoint)) removed from the configuration"
        }
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
