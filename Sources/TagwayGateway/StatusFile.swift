import Foundation
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
    let clock: @Sendable () -> Timestamp

    init(dataDir: String, gatewayID: String, health: HealthBoard, sinks: SinkStatusBoard, log: EventLog,
         clock: @escaping @Sendable () -> Timestamp) {
        path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        self.gatewayID = gatewayID
        self.health = health
        self.sinks = sinks
        self.log = log
        self.clock = clock
    }

    func run(every interval: Duration = .seconds(2)) async {
        while !Task.isCancelled {
            write()
            try? await Task.sleep(for: interval)
        }
        write()
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
