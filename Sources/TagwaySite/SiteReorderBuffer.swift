import TagwayModel

/// Orders the events of several gateways by event time before the site applies them.
///
/// Each gateway's events come in its own order (see `GatewaySequencer`); two gateways' streams
/// interleave however the network delivered them. Every event is held for `window` after it
/// arrived, and events are let out in (time, gateway, seq) order, so an earlier event of another
/// gateway that arrives within the window goes first. The hold is counted from the arrival, not
/// from the event's time: a backlog redelivered after an outage or a site restart comes in a
/// burst, and is sorted across gateways like live traffic instead of going through in whatever
/// order the consumer fetched it; an event stamped in the future (a clock ahead) waits no longer
/// than any other. At `capacity` the earliest is let out at once, so a flood never grows the
/// site's memory without bound.
public struct SiteReorderBuffer: Sendable {
    struct Entry: Comparable, Sendable {
        var logged: LoggedEvent
        var event: MovementEvent { logged.event }
        var eligibleAt: Timestamp
        var arrival: Int64

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            if lhs.event.time != rhs.event.time { return lhs.event.time < rhs.event.time }
            if lhs.event.gateway != rhs.event.gateway { return lhs.event.gateway < rhs.event.gateway }
            if lhs.event.seq != rhs.event.seq { return (lhs.event.seq ?? 0) < (rhs.event.seq ?? 0) }
            return lhs.arrival < rhs.arrival
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.arrival == rhs.arrival }
    }

    private var heap = BinaryHeap<Entry>()
    private var arrivals: Int64 = 0
    private let window: Duration
    private let capacity: Int
    public private(set) var releasedEarly = 0

    public init(window: Duration, capacity: Int) {
        self.window = window
        self.capacity = max(1, capacity)
    }

    public var count: Int { heap.count }

    /// The event time of the earliest event held: nothing at or after it has been applied yet.
    public var earliestHeldTime: Timestamp? { heap.min?.event.time }

    /// When the earliest held event may go.
    public var nextDeadline: Timestamp? { heap.min?.eligibleAt }

    /// Holds `event`, which arrived at `now`; returns what must go at once to stay in `capacity`.
    public mutating func insert(_ event: LoggedEvent, at now: Timestamp) -> [LoggedEvent] {
        arrivals &+= 1
        heap.insert(Entry(logged: event, eligibleAt: now + window, arrival: arrivals))
        var out: [LoggedEvent] = []
        while heap.count > capacity, let first = heap.popMin() {
            releasedEarly += 1
            out.append(first.logged)
        }
        return out
    }

    /// The held events whose time has come, earliest first. The earliest event gates the rest:
    /// nothing later goes before it.
    public mutating func release(upTo now: Timestamp) -> [LoggedEvent] {
        var out: [LoggedEvent] = []
        while let first = heap.min, first.eligibleAt <= now, let entry = heap.popMin() { out.append(entry.logged) }
        return out
    }

    /// Everything held, earliest first (a stop that must not lose what it holds).
    public mutating func drain() -> [LoggedEvent] {
        var out: [LoggedEvent] = []
        while let entry = heap.popMin() { out.append(entry.logged) }
        return out
    }
}
