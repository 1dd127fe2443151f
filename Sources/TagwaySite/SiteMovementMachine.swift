import TagwayModel

/// Joins the gateways' movement events, applied in time order, into one site picture and the
/// site's own events.
///
/// A pure state machine in the style of the gateway's movement engine: events and time come in,
/// changes come out (`SiteChange`: site events to publish, rows of the key-value bucket to put or
/// delete), nothing reads a clock. The rules:
/// - an arrival (or a move) at a gateway where the asset is not: `arrived` when the site did not
///   know it, else `moved` from where it was;
/// - a departure from the gateway that holds it is pending for `handoverWindow`: an arrival at
///   another gateway within it is one `moved` (from → to, both gateways, both causes); none, and
///   it becomes the site's `departed` at the gateway's departure time;
/// - an arrival elsewhere before the old gateway noticed it leave is a `moved` at once, and that
///   gateway's later departure is superseded (counted, not applied);
/// - site geofence rules alert once per episode, as a gateway's do.
///
/// Determinism: given the same events in the same order the output is the same, ids included
/// (`SiteEventID`), which is what lets a second site process take over and repeat work safely.
public struct SiteMovementMachine: Sendable {
    public let settings: SiteSettings
    public let rules: SiteRules
    public private(set) var assets: [String: SiteAssetState] = [:]
    public private(set) var counters = Counters()
    private var departures = BinaryHeap<DueDeparture>()
    /// The latest time applied: time never runs backwards here (see `apply`).
    public private(set) var clock = Timestamp(milliseconds: .min)

    public struct Counters: Hashable, Sendable {
        public var applied = 0
        public var arrived = 0
        public var moved = 0
        public var handovers = 0
        public var departed = 0
        public var passed = 0
        public var alerts = 0
        /// Departures from a gateway that no longer held the asset (it had been seen elsewhere).
        public var superseded = 0
        /// Gateway events the site does not place assets by (observed scans, gateway alerts,
        /// audits, unknown-asset notices) or that lack the zone they need.
        public var ignored = 0
    }

    struct DueDeparture: Comparable, Sendable {
        var due: Timestamp
        var key: String
        var eventID: String

        static func < (lhs: DueDeparture, rhs: DueDeparture) -> Bool { (lhs.due, lhs.key) < (rhs.due, rhs.key) }
    }

    public init(settings: SiteSettings = SiteSettings(), rules: SiteRules = SiteRules([])) {
        self.settings = settings
        self.rules = rules
    }

    /// Takes back the picture a previous site process left in the bucket.
    public mutating func restore(_ states: [SiteAssetState]) {
        for state in states.sorted(by: { $0.asset.key < $1.asset.key }) {
            assets[state.asset.key] = state
            if let departure = state.departure {
                departures.insert(DueDeparture(due: departure.time + settings.handoverWindow, key: state.asset.key,
                                               eventID: departure.eventID))
            }
        }
    }

    /// When `advance(to:)` would next report a departure.
    public var nextDeadline: Timestamp? { departures.min?.due }

    /// Applies one gateway event. An event stamped earlier than one already applied (a gateway
    /// whose clock is behind, a late delivery) is applied as happening at the latest time seen,
    /// so the site's events stay in time order.
    public mutating func apply(_ event: MovementEvent, into out: inout [SiteChange]) {
        advance(to: event.time, into: &out)
        if event.time > clock { clock = event.time }
        counters.applied += 1
        switch event.type {
        case .arrived, .moved:
            guard let zone = event.to else { counters.ignored += 1; return }
            place(event, at: SiteLocation(gateway: event.gateway, zone: zone), into: &out)
        case .departed:
            depart(event, into: &out)
        case .passed:
            guard let zone = event.to ?? event.from else { counters.ignored += 1; return }
            counters.passed += 1
            let door = SiteLocation(gateway: event.gateway, zone: zone)
            out.append(.event(SiteEvent(type: .passed, time: clock, asset: event.asset, to: door, direction: event.direction,
                                        readPoint: event.readPoint, causes: [event.id])))
            if var state = assets[event.asset.key], state.location.gateway == event.gateway {
                state.lastSeen = clock
                state.lastEventID = event.id
                assets[event.asset.key] = state
                out.append(.put(state))
            }
        case .observed, .alert, .audit, .unknown:
            counters.ignored += 1
        }
    }

    /// Moves time on with no event: pending departures older than the handover window become
    /// site departures. Strictly before `time`: an arrival stamped exactly at the deadline still
    /// counts as a handover.
    public mutating func advance(to time: Timestamp, into out: inout [SiteChange]) {
        while let first = departures.min, first.due < time, let due = departures.popMin() {
            guard let state = assets[due.key], let departure = state.departure, departure.eventID == due.eventID else { continue }
            counters.departed += 1
            out.append(.event(SiteEvent(type: .departed, time: departure.time, asset: state.asset, from: state.location,
                                        causes: [departure.eventID])))
            assets[due.key] = nil
            out.append(.delete(assetKey: due.key))
        }
    }

    private mutating func place(_ event: MovementEvent, at here: SiteLocation, into out: inout [SiteChange]) {
        let key = event.asset.key
        guard var state = assets[key] else {
            var state = SiteAssetState(asset: event.asset, location: here, since: clock, lastSeen: clock, lastEventID: event.id)
            counters.arrived += 1
            out.append(.event(SiteEvent(type: .arrived, time: clock, asset: event.asset, to: here, readPoint: event.readPoint,
                                        causes: [event.id])))
            alert(&state, cause: event.id, into: &out)
            assets[key] = state
            out.append(.put(state))
            return
        }
        let departure = state.departure
        state.departure = nil
        state.lastSeen = clock
        state.lastEventID = event.id
        if state.location != here {
            let from = state.location
            var causes = [event.id]
            if let departure, departure.eventID != event.id {
                causes.insert(departure.eventID, at: 0)
                if from.gateway != here.gateway { counters.handovers += 1 }
            }
            counters.moved += 1
            state.location = here
            state.since = clock
            out.append(.event(SiteEvent(type: .moved, time: clock, asset: event.asset, from: from, to: here,
                                        readPoint: event.readPoint, causes: causes)))
            alert(&state, cause: event.id, into: &out)
        }
        assets[key] = state
        out.append(.put(state))
    }

    private mutating func depart(_ event: MovementEvent, into out: inout [SiteChange]) {
        guard var state = assets[event.asset.key] else { counters.superseded += 1; return }
        guard state.location.gateway == event.gateway, state.departure == nil else { counters.superseded += 1; return }
        state.departure = SiteAssetState.PendingDeparture(time: event.time, eventID: event.id)
        state.lastEventID = event.id
        departures.insert(DueDeparture(due: event.time + settings.handoverWindow, key: event.asset.key, eventID: event.id))
        assets[event.asset.key] = state
        out.append(.put(state))
    }

    /// Raises the site rules' alerts for the asset's new place, once per episode.
    private mutating func alert(_ state: inout SiteAssetState, cause: String, into out: inout [SiteChange]) {
        guard !rules.rules.isEmpty else { return }
        let violated = rules.violations(of: rules.covering(state.asset), at: state.location)
        let opened = violated & ~state.episodes
        state.episodes = violated
        for (r, rule) in rules.rules.enumerated() where opened & (1 << UInt64(r)) != 0 {
            counters.alerts += 1
            out.append(.event(SiteEvent(type: .alert, time: clock, asset: state.asset, to: state.location, rule: rule.id,
                                        causes: [cause])))
        }
    }
}

/// What applying gateway events changes: site events to publish, and the rows of the site's
/// key-value bucket (asset key → `SiteAssetState`) to put or delete, in this order.
public enum SiteChange: Hashable, Sendable {
    case event(SiteEvent)
    case put(SiteAssetState)
    case delete(assetKey: String)
}
