import Foundation

/// A clock whose sleeps return at once and move its time to their deadline: a shell that paces
/// itself on it runs as fast as the machine allows, and a server that reads the same clock sees
/// exactly the spacing the shell chose (never the machine's scheduling).
final class VirtualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        lock.withLock { if deadline > current { current = deadline } }
        await Task.yield()
    }

    /// Milliseconds since the clock started.
    var milliseconds: Int64 { now.offset.wholeMillisecondsForTests }
}

extension Duration {
    var wholeMillisecondsForTests: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
