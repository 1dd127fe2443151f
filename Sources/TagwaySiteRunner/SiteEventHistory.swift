import TagwayAPI
import TagwayEventLog
import TagwayModel

/// `GET /v1/events` and `/v1/events/stream` of a site: the site events stream, paged by stream
/// sequence (an event's `seq`), with the gateway API's filters applied as each message is read
/// (the stream has no index by zone or asset; `zone` is a site place, `gateway/zone`). Served by
/// a standby too: the stream is the history, whichever process wrote it.
struct SiteEventHistory: EventHistory {
    let reader: SiteReader
    /// How often an event stream looks for new site events besides its wakes.
    var poll: Duration = .seconds(5)

    func page<T: Sendable>(after seq: Int64, limit: Int, filter: EventFilter,
                           render: @escaping @Sendable ([MovementEvent]) -> T) async throws(APIError) -> T {
        let stream = reader.config.events.stream
        return try await reader.read { nats throws(SiteJetStream.Failure) in
            render(try Self.read(nats, stream: stream.name, subjects: stream.subjects, after: seq, limit: limit) { filter.matches($0) })
        }
    }

    /// Up to `limit` site events after `seq` that pass `keep`, ascending.
    static func read(_ nats: SiteJetStream, stream: String, subjects: [String], after seq: Int64, limit: Int,
                     keep: (MovementEvent) -> Bool) throws(SiteJetStream.Failure) -> [MovementEvent] {
        let bounds = try nats.bounds(ofStream: stream)
        let first = max(UInt64(max(0, seq)) &+ 1, bounds.first)
        var out: [MovementEvent] = []
        guard limit > 0 else { return out }
        try nats.scan(stream: stream, subjects: subjects, from: first, through: bounds.last) { sequence, payload in
            guard case .success(var event) = GatewayEventDecoder.decode(payload) else { return true }
            event.seq = Int64(clamping: sequence)
            if keep(event) { out.append(event) }
            return out.count < limit
        }
        return out
    }

    /// The stream holds no time index: a `since` filter starts at the stream's first message and
    /// is applied to each event (`EventFilter.matches`); nil when the stream is empty.
    func firstSeq(since time: Timestamp) async throws(APIError) -> Int64? {
        let stream = reader.config.events.stream.name
        let bounds = try await reader.read { nats throws(SiteJetStream.Failure) in try nats.bounds(ofStream: stream) }
        return bounds.last == 0 ? nil : Int64(clamping: bounds.first)
    }

    /// At each site event published (`SiteEventWake`, whichever process published it), and
    /// every `poll` besides: the wake rides on the reader's connection, and one lost with it
    /// (a reconnect) must not leave a stream waiting.
    func changes() -> AsyncStream<Void> {
        let poll = poll, reader = reader
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let ticker = Task {
                let wake = await reader.wake { continuation.yield() }
                while !Task.isCancelled {
                    try? await Task.sleep(for: poll)
                    continuation.yield()
                }
                wake?.stop()
                continuation.finish()
            }
            continuation.onTermination = { _ in ticker.cancel() }
        }
    }
}
