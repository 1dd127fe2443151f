import TagwayModel

/// Keeps one reader's read times in order for the pipeline: the debouncer and door direction
/// assume a reader's reads do not go back in time, but a report's tags come in the reader's
/// order (by antenna, by round) and a new skew estimate can move the mapping back a little.
public struct ReadTimeline: Sendable, Hashable {
    /// The last `seenAt` handed on, kept across reconnects: the pipeline has already seen it.
    public private(set) var lastEmitted: Timestamp?

    public init() {}

    /// `tags` sorted by `seenAt` (ties keep the reader's order), each clamped to no earlier than
    /// the last one emitted and no later than `receivedAt` (a read cannot arrive before it
    /// happened). If the gateway's clock stepped back below the last emitted time, order wins.
    public mutating func order(_ tags: [TagObservation], receivedAt: Timestamp) -> [TagObservation] {
        let sorted = tags.enumerated().sorted { a, b in
            let (ta, tb) = (a.element.seenAt ?? receivedAt, b.element.seenAt ?? receivedAt)
            return ta != tb ? ta < tb : a.offset < b.offset
        }
        var result: [TagObservation] = []
        result.reserveCapacity(tags.count)
        for (_, tag) in sorted {
            var tag = tag
            var time = min(tag.seenAt ?? receivedAt, receivedAt)
            if let lastEmitted, time < lastEmitted { time = lastEmitted }
            tag.seenAt = time
            lastEmitted = time
            result.append(tag)
        }
        return result
    }
}
