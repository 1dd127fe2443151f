import Foundation
import Testing
import TagwayEventLog
import TagwayModel
import TagwayTestSupport

/// An idle gateway does not rewrite status.json (issue 16), so `tagway status` calls an old file
/// stale only when the event log has moved past the seq it shows.
@Suite struct StatusCommandIdleTests {
    func status(dir: String, lastSeq: Int) throws {
        let text = """
            {"gateway":"gw","time":"2026-12-01T10:00:00.000Z","pid":\(getpid()),"lastSeq":\(lastSeq),
             "log":{"heldEvents":0,"droppedReads":0},"readers":[],"sinks":[],"retention":{"dropped":0}}
            """
        let path = dir + "/status.json"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        // Written ten minutes ago by a process that still runs (this one).
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: path)
    }

    @Test func anOldFileThatTheLogHasNotMovedPastIsNotStale() throws {
        let dir = makeTemporaryDirectory("status-idle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try EventLog(directory: dir)
        try status(dir: dir, lastSeq: 0)
        let result = try runTagway(["status", "--data-dir", dir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("running (pid"), "\(result.stdout)")
        #expect(!result.stdout.contains("STALE"), "\(result.stdout)")
    }

    @Test func anOldFileBehindTheLogIsStale() async throws {
        let dir = makeTemporaryDirectory("status-behind")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([StatusCommandIdleTests.event()])
        try status(dir: dir, lastSeq: 0)
        let result = try runTagway(["status", "--data-dir", dir])
        #expect(result.stdout.contains("STALE: status.json has not been rewritten for 6"), "\(result.stdout)")
    }

    static func event() -> MovementEvent {
        var rng = SplitMix64(seed: 1)
        let time = Timestamp(milliseconds: 1_764_000_000_000)
        return MovementEvent(id: EventID.make(time: time, using: &rng), type: .arrived, time: time, gateway: "gw",
                             asset: AssetRef(key: "urn:epc:id:giai:0614141.1", scheme: "giai", raw: "TAG-1"),
                             from: nil, to: "dock-3", readPoint: "door3-in", reader: "door3-uhf", rssi: -55, reads: 3)
    }
}
