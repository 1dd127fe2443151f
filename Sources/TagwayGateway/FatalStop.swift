import Synchronization
import TagwayEventLog
import TagwayRuntime

/// The one fault that ends a running gateway from the inside: the event log damaged, deleted or
/// replaced. Reported once by whoever finds it (the pipeline's write, the file guard), awaited by
/// `Gateway.run`, which then stops every task and exits non-zero so systemd restarts it.
final class FatalStop: Sendable {
    private let first = Mutex<EventLogError?>(nil)
    private let stream: AsyncStream<EventLogError>
    private let continuation: AsyncStream<EventLogError>.Continuation

    init() {
        (stream, continuation) = AsyncStream<EventLogError>.makeStream(bufferingPolicy: .bufferingOldest(1))
    }

    /// The fault reported, if any.
    var fault: EventLogError? { first.withLock { $0 } }

    /// Records `error` (the first report wins) and wakes `wait`.
    func report(_ error: EventLogError) {
        let isFirst = first.withLock {
            guard $0 == nil else { return false }
            $0 = error
            return true
        }
        if isFirst { continuation.yield(error) }
    }

    /// Returns when a fault is reported, or when the calling task is cancelled.
    func wait() async {
        for await _ in stream { return }
    }
}
