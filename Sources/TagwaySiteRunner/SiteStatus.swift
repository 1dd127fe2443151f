import Foundation
import TagwayAPI
import TagwayModel
import TagwayOutbox
import TagwaySite

/// `GET /v1/status` of a site process: whether it is the lease holder or a standby (and who
/// holds the lease), the durable consumer's lag (messages not yet delivered, delivered and not
/// acked), each gateway's applied position (from the bucket, so a standby shows them too), the
/// problems this process counted, and its sinks (a standby's are idle: only the holder delivers).
/// A JetStream that cannot be read shows as `"jetstream": {"error": ...}`; the answer is still 200.
/// `"kind": "site"` tells a client (the web console) it talks to a site, not a gateway.
struct SiteStatus: StatusSource {
    let runner: SiteRunner
    let reader: SiteReader

    struct Read: Sendable {
        var holder: String?
        var positions: [String: Int64]
        var consumer: (pending: UInt64, ackPending: Int64)?
        var eventsLastSeq: UInt64
    }

    func status() async -> String {
        let config = runner.config
        let counters = runner.counters
        var out = JSONObjectWriter()
        out.string("kind", "site")
        out.string("site", config.site)
        out.string("role", counters.active ? "active" : "standby")
        out.string("owner", runner.options.owner)
        do {
            let read = try await reader.read { nats throws(SiteJetStream.Failure) in
                let lease = try nats.get(SiteBucketRows.leaseKey)
                let holder = lease.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.value))["owner"] }
                let positions = Self.current(SiteBucketRows.decode(try nats.entries(prefix: "pos.")).positions)
                return Read(holder: holder, positions: positions,
                            consumer: try nats.consumerPending(stream: config.stream, consumer: config.consumer),
                            eventsLastSeq: try nats.bounds(ofStream: config.events.stream.name).last)
            }
            if let holder = read.holder { out.string("leaseHolder", holder) } else { out.raw("leaseHolder", "null") }
            var consumer = JSONObjectWriter()
            consumer.string("name", config.consumer)
            consumer.string("stream", config.stream)
            consumer.number("pending", Int64(clamping: read.consumer?.pending ?? 0))
            consumer.number("ackPending", read.consumer?.ackPending ?? 0)
            out.raw("consumer", consumer.finish())
            var positions = JSONObjectWriter()
            for (gateway, next) in read.positions.sorted(by: { $0.key < $1.key }) { positions.number(gateway, next) }
            out.raw("positions", positions.finish())
            out.number("lastSeq", Int64(clamping: read.eventsLastSeq))
        } catch {
            var failure = JSONObjectWriter()
            failure.string("error", error.description)
            out.raw("jetstream", failure.finish())
        }
        var problems = JSONObjectWriter()
        problems.number("notAnEvent", Int64(counters.notEvents))
        problems.number("gaps", Int64(counters.gaps))
        problems.number("clockSkew", Int64(counters.clockSkew))
        problems.number("reorderOverflow", Int64(counters.reorderOverflows))
        problems.number("superseded", Int64(counters.superseded))
        problems.number("logsReplaced", Int64(counters.logsReplaced))
        problems.number("replacedLogEvents", Int64(counters.replacedLogEvents))
        problems.number("total", Int64(counters.problems))
        if let last = counters.lastProblem { problems.string("last", last) }
        out.raw("problems", problems.finish())
        out.number("received", Int64(counters.received))
        out.number("published", Int64(counters.published))
        out.number("failures", Int64(counters.failures))
        out.raw("sinks", "[" + runner.board.snapshotJSON.joined(separator: ",") + "]")
        return out.finish()
    }

    /// Per gateway, the position in its current log (the highest generation; `GatewayLogSequencers`).
    static func current(_ positions: [GatewayLog: LogPosition]) -> [String: Int64] {
        var best: [String: LogPosition] = [:]
        for (log, position) in positions.sorted(by: { $0.key < $1.key })
        where best[log.gateway].map({ position.generation > $0.generation }) ?? true {
            best[log.gateway] = position
        }
        return best.mapValues(\.next)
    }
}
