import AsyncHTTPClient
import Foundation
import Testing
import TagwayAPI
import TagwayEventLog

/// A method a path does not take is 405 with `Allow` (RFC 9110 §15.5.6), not the 404 of a path
/// that does not exist; the stream refuses a bad `after` even when `Last-Event-ID` wins.
@Suite(.serialized) struct APIMethodTests {
    /// The method by name (its type is NIOHTTP1's, which this target does not depend on).
    func send(_ method: String, _ url: String, headers: [(String, String)] = []) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .RAW(value: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return TestResponse(status: Int(response.status.code), headers: fields, body: String(buffer: body))
    }

    @Test func aMethodThePathDoesNotTakeIsA405WithAllow() async throws {
        let dir = Fixture.temporaryDirectory("api-methods")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let server = try await TestAPIServer(log: log)
        defer { server.stop() }
        let root = "http://127.0.0.1:\(server.listener.port)"

        for (method, path) in [("PUT", "/v1/events"), ("DELETE", "/v1/assets/urn:epc:id:giai:0614141.1"), ("POST", "/healthz"),
                               ("PATCH", "/v1/zones"), ("OPTIONS", "/v1/events/stream")] {
            let response = try await send(method, root + path)
            #expect(response.status == 405, "\(method) \(path): \(response.body)")
            #expect(response.headers["allow"] == "GET", "\(method) \(path)")
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.object?["error"] as? String == "\(method) is not a method of this endpoint", "\(response.body)")
        }
        // A path no route has stays a 404, whatever the method; the routes still answer.
        #expect(try await send("POST", root + "/v1/nothing-here").status == 404)
        #expect(try await send("GET", root + "/v1/assets/a/b").status == 404)
        #expect(try await send("GET", root + "/v1/zones").status == 200)
        #expect(try await send("GET", root + "/v1/assets/urn:epc:id:giai:0614141.1").status == 404)
    }

    @Test func theStreamRefusesABadAfterEvenWithALastEventID() async throws {
        let dir = Fixture.temporaryDirectory("api-stream-after")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let server = try await TestAPIServer(log: log)
        defer { server.stop() }
        for after in ["abc", "9223372036854775808", "-1"] {
            let response = try await fetch(server.base + "/stream?after=\(after)", headers: [("Last-Event-ID", "0")])
            #expect(response.status == 400, "after=\(after): \(response.body)")
            #expect(response.object?["detail"] as? String == "after")
        }
    }
}
