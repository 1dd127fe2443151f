import AsyncHTTPClient
import Foundation
import Testing
import TagwayAPI
@testable import TagwayEventLog
import TagwayModel
import TagwayTestSupport

/// Every API error is a JSON body `{"error": ..., "detail": ...}` with the right status, names
/// what was wrong (the `after` parameter, the `Last-Event-ID` header), and a damaged log is a
/// logged 500 saying so, never an empty 500 or a stream that silently stops.
@Suite(.serialized) struct PullAPIErrorTests {
    @Test func badInputIsA400ThatNamesTheParameterOrHeader() async throws {
        let dir = Fixture.temporaryDirectory("api-errors")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 5)
        let server = try await TestAPIServer(log: log)
        defer { server.stop() }

        let streamAfter = try await fetch(server.base + "/stream?after=abc")
        #expect(streamAfter.status == 400)
        #expect(streamAfter.headers["content-type"] == "application/json")
        #expect(streamAfter.object?["error"] as? String == "after must be an event seq (a whole number >= 0)", "\(streamAfter.body)")
        #expect(streamAfter.object?["detail"] as? String == "after")

        let header = try await fetch(server.base + "/stream", headers: [("Last-Event-ID", "-3")])
        #expect(header.status == 400)
        #expect((header.object?["error"] as? String)?.hasPrefix("Last-Event-ID header must be") == true, "\(header.body)")

        let huge = try await fetch(server.base + "?after=" + String(repeating: "9", count: 5000))
        #expect(huge.status == 400)
        #expect(huge.object?["detail"] as? String == "after")

        for query in ["?limit=abc", "?limit=0", "?limit=10001", "?after=-1"] {
            let response = try await fetch(server.base + query)
            #expect(response.status == 400, "\(query)")
            #expect(response.object?["error"] is String, "\(query): \(response.body)")
        }

        let unknown = try await fetch("http://127.0.0.1:\(server.listener.port)/v1/nothing-here")
        #expect(unknown.status == 404)
        #expect(unknown.object?["error"] is String, "\(unknown.body)")
    }

    /// Pages of the events table are overwritten in the middle of the file while the gateway has
    /// the log open (as a failing card would): reading past the damage answers 500 with a JSON
    /// body naming the damage, an SSE stream ends with an `error` event, and both are logged.
    @Test func aDamagedLogIsALogged500WithAJSONBody() async throws {
        let dir = Fixture.temporaryDirectory("api-damaged")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 20_000)
        // The log's own checkpointer may be copying the fill's WAL: a second checkpoint gets
        // SQLITE_BUSY at once, busy handler or not (as `close()` knows, which stops it first).
        log.checkpointer?.stop()
        _ = try await log.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try Self.overwriteMiddlePages(of: log.path, count: 64)

        let recorder = LogRecorder()
        let server = try await TestAPIServer(log: log, logger: recorder.logger())
        defer { server.stop() }
        var failures: [TestResponse] = []
        for after in stride(from: 0, to: 20_000, by: 10_000) {
            let response = try await fetch(server.base + "?after=\(after)&limit=10000")
            if response.status != 200 { failures.append(response) }
        }
        let failure = try #require(failures.first, "no page read reached the damaged pages")
        #expect(failure.status == 500)
        #expect(failure.headers["content-type"] == "application/json")
        #expect(failure.object?["error"] as? String == "the event log is damaged", "\(failure.body)")
        #expect((failure.object?["detail"] as? String)?.contains(log.path) == true, "\(failure.body)")
        #expect(recorder.text.contains("pull API /v1/events: 500 the event log is damaged"), "\(recorder.text)")

        let client = wideClient
        let stream = SSEClient(url: server.base + "/stream?after=0", client: client)
        #expect(await eventually { stream.hasEnded })
        let event = try #require(stream.errorEvents.first, "the stream ended without an error event")
        #expect(event.contains("\"error\":\"the event log is damaged\""), "\(event)")
        #expect(recorder.text.contains("pull API event stream after seq"), "\(recorder.text)")
    }

    /// Overwrites `count` whole pages around the middle of an SQLite file with 0xFF bytes.
    static func overwriteMiddlePages(of path: String, count: Int) throws {
        let pageSize: UInt64 = 4096
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        let start = (size / 2 / pageSize) * pageSize
        try handle.seek(toOffset: start)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: Int(pageSize) * count))
        try handle.synchronize()
    }
}
