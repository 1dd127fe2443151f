#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TagwayEventLog
import TagwayModel
import TagwayOutbox

/// The gateway's status object, built from in-memory boards only (never the database, so a stuck
/// or full log cannot freeze it): what `status.json` holds, and with `StatusReport.Extras` what
/// `GET /v1/status` answers. One builder, so the file and the endpoint never drift apart.
struct StatusReport: Sendable {
    /// What the endpoint adds to the file's object.
    struct Extras: Sendable {
        var version: String
        var startedAt: Timestamp
        var timeZone: String
        var utcOffsetSeconds: Int
        var figures: PipelineFigures
        var zones: Int
    }

    let gatewayID: String
    let health: HealthBoard
    let sinks: SinkStatusBoard
    let log: EventLog
    let writeHealth: LogWriteHealth
    let clock: @Sendable () -> Timestamp

    func json(_ extras: Extras? = nil) -> String {
        var w = JSONObjectWriter()
        w.string("gateway", gatewayID)
        if let extras {
            w.string("version", extras.version)
            w.string("startedAt", extras.startedAt.iso8601)
            w.string("timeZone", extras.timeZone)
            w.number("utcOffsetSeconds", Int64(extras.utcOffsetSeconds))
        }
        let now = clock()
        w.string("time", now.iso8601)
        w.number("pid", Int64(ProcessInfo.processInfo.processIdentifier))
        w.number("lastSeq", log.lastCommittedSeq)
        w.string("logId", log.identity)
        w.raw("log", extras == nil ? writeHealth.snapshot.json : Self.adding(bytes: logBytes, to: writeHealth.snapshot.json))
        w.raw("readers", "[" + health.snapshot.map { health.filters.adding(to: $0.json(at: now), reader: $0.reader, at: now) }
            .joined(separator: ",") + "]")
        w.raw("sinks", "[" + sinks.snapshotJSON.joined(separator: ",") + "]")
        let retention = sinks.retentionState
        var r = JSONObjectWriter()
        if let note = retention.note { r.string("overBound", note) }
        r.number("dropped", Int64(retention.dropped))
        w.raw("retention", r.finish())
        if let extras {
            var e = JSONObjectWriter()
            e.number("trackedAssets", Int64(extras.figures.trackedAssets))
            e.number("present", Int64(extras.figures.presences))
            e.number("reads", Int64(extras.figures.movement.reads))
            e.number("scans", Int64(extras.figures.movement.scans))
            e.number("evictions", Int64(extras.figures.movement.evictions))
            w.raw("engine", e.finish())
            w.number("zones", Int64(extras.zones))
        }
        return w.finish()
    }

    /// The event log's size on disk: the database and its WAL (what a full disk is made of).
    var logBytes: Int64 {
        [log.path, log.path + "-wal"].reduce(0) { sum, path in
            var info = stat()
            return stat(path, &info) == 0 ? sum.saturatingAdd(Int64(info.st_size)) : sum
        }
    }

    /// `"bytes": N` inside the log's object (its JSON comes from `LogWriteHealth`).
    static func adding(bytes: Int64, to object: String) -> String {
        guard object.hasSuffix("}") else { return object }
        let inner = object.dropFirst().dropLast()
        return "{" + inner + (inner.isEmpty ? "" : ",") + "\"bytes\":\(bytes)}"
    }

    /// The gateway's time zone as an IANA id (`Europe/Berlin`), `UTC` when the system has none,
    /// and its offset from UTC now.
    static func timeZone(at time: Timestamp) -> (id: String, offsetSeconds: Int) {
        let zone = TimeZone.current
        let id = zone.identifier.isEmpty ? "UTC" : zone.identifier
        let date = Date(timeIntervalSince1970: Double(time.milliseconds) / 1000)
        return (id, zone.secondsFromGMT(for: date))
    }
}
