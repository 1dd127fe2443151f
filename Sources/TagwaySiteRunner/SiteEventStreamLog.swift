import Foundation
import Logging
import TagwayDelivery
import TagwayModel
import TagwayOutbox

/// The site's outbox log (issue 17): the site events stream, read by stream sequence (an event's
/// `seq` is its stream sequence), with each sink's cursor in the site's key-value bucket under
/// `cursor.<sink>`. Nothing of it lives in the process, so a standby that takes the lease over
/// resumes every sink where the dead process's sink last confirmed, and the gateway's
/// `OutboxWorker` and sinks run on it unchanged.
///
/// Its libnats calls block (each is a request to the stream or bucket leader): they run on a
/// queue of their own, never on a cooperative pool thread, and never behind the consumer's fetch.
final class SiteEventStreamLog: OutboxLog, @unchecked Sendable {
    typealias Failure = SiteJetStream.Failure

    private let nats: SiteJetStream
    private let stream: String
    /// The stream's subjects (`SiteJetStream.scan` reads a stream of one subject in one pass).
    private let subjects: [String]
    private let logger: Logger
    private let queue = DispatchQueue(label: "tagway.site.outbox")

    /// `nats`: a JetStream context with the site's bucket open.
    init(nats: SiteJetStream, stream: JetStreamStreamSpec, logger: Logger) {
        self.nats = nats
        self.stream = stream.name
        subjects = stream.subjects
        self.logger = logger
    }

    /// The cursor row's JSON: the sink's id as written in the configuration, its cursor, when.
    struct CursorRow: Codable {
        var sink: String
        var seq: Int64
        var at: Int64
    }

    func cursor(sink: String) async throws(Failure) -> Int64 {
        try await run { [nats] () throws(Failure) in try Self.stored(nats, sink)?.row.seq ?? 0 }
    }

    /// Forward only, by compare-and-set: a process that lost the lease and confirms a batch late
    /// never moves the new holder's cursor back (which would only redeliver), nor does a cursor
    /// move past what some process's sink confirmed.
    func setCursor(sink: String, seq: Int64, at time: Timestamp) async throws(Failure) {
        try await run { [nats] () throws(Failure) in
            let value = Array((try? JSONEncoder().encode(CursorRow(sink: sink, seq: seq, at: time.milliseconds))) ?? Data())
            let key = SiteBucketRows.cursorKey(sink)
            for _ in 0..<8 {
                let stored = try Self.stored(nats, sink)
                if let stored, stored.row.seq >= seq { return }
                let written = stored.map { nats.update(key, value, last: $0.revision) } ?? nats.create(key, value)
                if written != nil { return }
            }
            throw Failure(description: "sink \(sink): cursor \(seq) not stored (its bucket row kept changing under it)")
        }
    }

    func lastSeq() async throws(Failure) -> Int64 {
        try await run { [nats, stream] () throws(Failure) in
            let last = try nats.bounds(ofStream: stream).last
            return last > UInt64(Int64.max) ? .max : Int64(last)
        }
    }

    /// Up to `limit` site events after `seq`. A message the stream no longer holds (max age)
    /// is passed over, as is one that is not a site event (logged; nothing of ours).
    func events(after seq: Int64, limit: Int) async throws(Failure) -> [MovementEvent] {
        try await run { [nats, stream, subjects, logger] () throws(Failure) in
            let bounds = try nats.bounds(ofStream: stream)
            let first = max(UInt64(max(0, seq)) &+ 1, bounds.first)
            // At most `limit` sequences on (fewer events when some aged out).
            let (end, overflow) = first.addingReportingOverflow(UInt64(max(1, limit)) - 1)
            let last = overflow ? bounds.last : min(bounds.last, end)
            var out: [MovementEvent] = []
            try nats.scan(stream: stream, subjects: subjects, from: first, through: last) { sequence, payload in
                switch GatewayEventDecoder.decode(payload) {
                case .success(var event):
                    event.seq = Int64(clamping: sequence)
                    out.append(event)
                case .failure(let failure):
                    logger.warning("site events stream \(stream) message \(sequence) is not a site event (\(failure.reason)); not forwarded")
                }
                return true
            }
            return out
        }
    }

    private static func stored(_ nats: SiteJetStream, _ sink: String) throws(Failure) -> (row: CursorRow, revision: UInt64)? {
        guard let entry = try nats.get(SiteBucketRows.cursorKey(sink)) else { return nil }
        guard let row = try? JSONDecoder().decode(CursorRow.self, from: Data(entry.value)) else {
            throw Failure(description: "sink \(sink): its cursor row in the bucket is not readable")
        }
        return (row, entry.revision)
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(Failure) in try body() }) }
        }
        return try result.get()
    }
}
