import TagwayModel

/// One event log of one gateway, as the site keeps its positions.
///
/// A gateway numbers its events with `seq` as its log commits them. A log that is deleted or
/// recreated (a new disk, a reinstall, a restore from an old backup) numbers from 1 again, and a
/// site keeping one position per gateway would drop every new event as a duplicate until `seq`
/// passed the old position. So the JetStream sink sends the log's identity (`Tagway-Log-Id`, a
/// UUID made with the log) and the site keeps a position per gateway and log: a new identity
/// starts a sequence of its own at 1, the old one's redeliveries are still dropped against the
/// old position. Messages without the header (gateways of an earlier release) are log "".
public struct GatewayLog: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var gateway: String
    /// The log's identity; "" when the gateway does not send one.
    public var log: String

    public init(gateway: String, log: String = "") {
        self.gateway = gateway
        self.log = log
    }

    public static func < (lhs: GatewayLog, rhs: GatewayLog) -> Bool {
        (lhs.gateway, lhs.log) < (rhs.gateway, rhs.log)
    }

    public var description: String { log.isEmpty ? gateway : "\(gateway) (log \(log))" }
}

/// Where the site stands in one gateway log: the next `seq` to apply, and the log's generation
/// among its gateway's logs (0 for the first the site saw, one more for each that replaced the
/// one before). The highest generation is the gateway's current log; persisted with the
/// position, so a restarted site process still knows which of a gateway's logs is current.
public struct LogPosition: Hashable, Sendable {
    public var next: Int64
    public var generation: Int

    public init(next: Int64, generation: Int = 0) {
        self.next = next
        self.generation = generation
    }
}

/// A gateway event with the log it came from and that log's generation, as the view holds it
/// for ordering: once applied, its position is written under its log.
public struct LoggedEvent: Hashable, Sendable {
    public var event: MovementEvent
    public var log: String
    public var generation: Int

    public init(_ event: MovementEvent, log: String = "", generation: Int = 0) {
        self.event = event
        self.log = log
        self.generation = generation
    }
}
