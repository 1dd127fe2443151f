/// A sink with more to say in status than the outbox's figures: what the store answered that
/// was not a delivery (tags it does not know, zones it has no place for), and its pacing.
///
/// The forwarder attaches such a sink to the status board, which shows the JSON object as the
/// sink's `details` and signals a change whenever the sink reports one (status.json is written
/// on change, never on a timer).
public protocol DetailedSink: Sink {
    /// A JSON object.
    var detailsJSON: String { get }
    /// Calls `observer` (from any thread) after each change of the details.
    func onDetailsChange(_ observer: @escaping @Sendable () -> Void)
}
