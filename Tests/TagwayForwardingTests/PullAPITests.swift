import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Testing
import TagwayAPI
import TagwayEventLog
import TagwayModel

/// The pull API on a real socket: pages of events, and an SSE stream that resumes from
/// `Last-Event-ID` and carries events appended while it is open.
@Suite(.serialized) struct PullAPITests {
    final class Server: @unchecked Sendable {
        let task: Task<Void, Never>
        let port: Int

        init(log: EventLog) async {
            var logger = Logger(label: "api-test")
            logger.logLevel = .critical
            let ready = AsyncStream<Int>.makeStream()
            let server = APIServer(log: log, host: "127.0.0.1", port: 0, logger: logger)
            task = Task { try? await server.run { ready.continuation.yield($0) } }
            var bound = 0
            for await port in ready.stream {
                bound = port
                break
            }
            port = bound
        }
    }

    func get(_ url: String, headers: [(String, String)] = []) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test func pagesOfEvents() async throws {
        let dir = Fixture.temporaryDirectory("api")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let stored = try await Fixture.fill(log, count: 20)
        let server = await Server(log: log)
        defer { server.task.cancel() }
        let base = "http://127.0.0.1:\(server.port)/v1/events"
        let (status, body) = try await get(base + "?after=5&limit=3")
        #expect(status == 200)
        let page = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
        #expect(page.map { $0["seq"] as? Int } == [6, 7, 8])
        #expect(page.map { $0["id"] as? String } == stored[5..<8].map(\.id))
        #expect(try await get(base + "?after=20").1 == "[]")
        #expect(try await get(base + "?after=-1").0 == 400)
        #expect(try await get(base + "?limit=0").0 == 400)
        #expect(try await get(base + "?limit=abc").0 == 400)
    }

    @Test func sseResumesFromLastEventIDAndFollowsTheLog() async throws {
        let dir = Fixture.temporaryDirectory("sse")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 10)
        let server = await Server(log: log)
        defer { server.task.cancel() }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/v1/events/stream")
        request.headers.add(name: "Last-Event-ID", value: "7")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.headers.first(name: "content-type") == "text/event-stream")
        var text = ""
        var ids: [Int64] = []
        var appended = false
        for try await chunk in response.body {
            text += String(buffer: chunk)
            while let range = text.range(of: "\n\n") {
                let frame = text[..<range.lowerBound]
                text.removeSubrange(..<range.upperBound)
                if let line = frame.split(separator: "\n").first(where: { $0.hasPrefix("id: ") }), let id = Int64(line.dropFirst(4)) {
                    ids.append(id)
                    #expect(frame.contains("\ndata: {\"id\":"))
                }
            }
            if ids.count >= 3, !appended {
                appended = true
                try await Fixture.fill(log, count: 4, start: 100)
            }
            if ids.count >= 7 { break }
        }
        #expect(ids == [8, 9, 10, 11, 12, 13, 14])
    }
}
