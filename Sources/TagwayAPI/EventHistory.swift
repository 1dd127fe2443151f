import TagwayEventLog
import TagwayModel

/// Where `GET /v1/events` and `GET /v1/events/stream` read: numbered events in `seq` order, and
/// a signal when there are new ones. A gateway's is its `EventLog`; a site's (issue 17) is its
/// site events stream, so the same routes serve both. Failures are the client's answer already.
public protocol EventHistory: Sendable {
    /// Up to `limit` events after `seq` that pass `filter`, ascending by `seq`, given to `render`
    /// where they were read (a gateway builds the JSON on its database queue, off the shared threads).
    func page<T: Sendable>(after seq: Int64, limit: Int, filter: EventFilter,
                           render: @escaping @Sendable ([MovementEvent]) -> T) async throws(APIError) -> T
    /// Where a `since` filter may start: the first seq stamped at or after `time`, nil when none is.
    func firstSeq(since time: Timestamp) async throws(APIError) -> Int64?
    /// Yields when there may be events after the last page read (an event stream waits on it).
    func changes() -> AsyncStream<Void>
}

extension EventFilter {
    /// The filter applied to one event in memory (a history with no index of its own); the
    /// same rules as the log's SQL.
    public func matches(_ event: MovementEvent) -> Bool {
        if let asset, event.asset.key != asset { return false }
        if !types.isEmpty, !types.contains(event.type) { return false }
        if let zone, event.from != zone, event.to != zone { return false }
        if let since, event.time < since { return false }
        return true
    }
}

extension EventLog: EventHistory {
    public func page<T: Sendable>(after seq: Int64, limit: Int, filter: EventFilter,
                                  render: @escaping @Sendable ([MovementEvent]) -> T) async throws(APIError) -> T {
        do {
            // The plain page (the event stream) reads without the filter's SQL, as before.
            if filter.isEmpty { return try await readPage(after: seq, limit: limit, render: render) }
            return try await readPage(after: seq, limit: limit, filter: filter, render: render)
        } catch { throw APIError.log(error) }
    }

    public func firstSeq(since time: Timestamp) async throws(APIError) -> Int64? {
        do { return try await readFirstSeq(since: time) } catch { throw APIError.log(error) }
    }

    /// Each commit of this process (`subscribe`).
    public func changes() -> AsyncStream<Void> {
        let updates = subscribe()
        return AsyncStream { continuation in
            let relay = Task {
                for await _ in updates { continuation.yield() }
                continuation.finish()
            }
            continuation.onTermination = { _ in relay.cancel() }
        }
    }
}
