import TagwayModel

/// A destination for events. The outbox hands it batches in log order, one at a time, and it
/// answers with what happened; it never sees cursors, retries or the log.
public protocol Sink: Sendable {
    /// The sink's id from the configuration (its cursor's name).
    var id: String { get }
    /// `webhook`, `mqtt`, `epcis`, `snipeit`, `jetstream`: shown in status.
    var kind: String { get }
    /// Delivers the batch (non-empty, ascending `seq`). Must not throw: every failure is an outcome.
    func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome
    /// Releases connections; called once when the gateway stops.
    func shutdown() async
}
