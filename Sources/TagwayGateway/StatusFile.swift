import Foundation
import Logging
import TagwayEventLog
import TagwayModel
import TagwayOutbox

/// Writes `<dataDir>/status.json` every few seconds, atomically (temp file + rename), so
/// `tagway status` can show a running gateway's readers and sinks without talking to it.
struct StatusFile: Sendable {
    static let fileName = "status.json"
    let path: String
    let gatewayID: String
    let health: HealthBoard
    let sinks: SinkStatusBoard
    let log: EventLog
    let logger: Logger
    let clock: @Sendable () -> Timestamp

    init(dataDir: String, gatewayID: String, health: HealthBoard, sinks: SinkStatusBoard, log: EventLog, logger: Logger,
         clock: @escaping @Sendable () -> Timestamp) {
        path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        self.gatewayID = gatewayID
        self.health = health
        self.sinks = sinks
        self.log = log
        self.logger = logger
        self.clock = clock
    }

    /// Writes the file every `interval`, and logs one line per sink every `logEvery` writes.
    func run(every interval: Duration = .seconds(2), logEvery: Int = 30) async {
        var writes = 0
        while !Task.isCancelled {
            write()
            if writes % logEvery == 0 { logSinks() }
            writes += 1
            try? await Task.sleep(for: interval)
        }
        write()
    }

    /// The sink part of the status in the logs, for installations that only collect logs.
    func logSinks() {
        for sink in sinks.snapshot {
            var line = "sink \(sink.id) (\(sink.kind)): \(sink.state.rawValue), backlog \(sink.backlog), delivered \(sink.delivered), "
            line += "retried \(sink.retried), failed \(sink.failed), last success \(sink.lastSuccess?.iso8601 ?? "never")"
            if let error = sink.lastError { line += ", last error \(error)" }
            if sink.state == .stopped || sink.state == .retrying { logger.warning("\(line)") } else { logger.info("\(line)") }
        }
    }

    func write() {
        let text = snapshot() + "\n"
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        _ = rename(temporary, path)
    }

    func snapshot() -> String {
        var w = JSONObjectWriter()
        w.string("gateway", gatewayID)
        w.string("time", clock().iso8601)
        w.number("pid", Int64(ProcessInfo.processInfo.processIdentifier))
        w.number("lastSeq", (try? log.lastSeq()) ?? 0)
        w.raw("readers", "[" + health.snapshot.map(\.json).joined(separator: ",") + "]")
        w.raw("sinks", "[" + sinks.snapshot.map(\.json).joined(separator: ",") + "]")
        let retention = sinks.retentionState
        var r = JSONObjectWriter()
        if let note = retention.note { r.string("overBound", note) }
        r.number("dropped", Int64(retention.dropped))
        w.raw("retention", r.finish())
        return w.finish()
    }
}
