import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TagwayAPI
import TagwayAudit
import TagwayEventLog
import TagwayModel
import TagwayTestSupport

/// `POST /v1/audits` end to end on 127.0.0.1: CSV and JSON bodies against a real log's asset
/// rows, the zone filter, the text table, located 400s, 413 past the limit, 415 for other
/// types, and the `audit` event when `logEvents` is on.
@Suite(.serialized) struct AuditAPITests {
    static let now = Timestamp(milliseconds: 1_800_000_000_000)

    static let settings = AuditSettings(zones: ["helpdesk", "it-storage"], aliases: ["room-2.14": "it-storage"],
                                        locations: ["HQ Storage Room 2": "it-storage"], freshness: .seconds(3_600))

    struct Server {
        let log: EventLog
        let listener: APIListener
        let dir: String
        var url: String { "http://127.0.0.1:\(listener.port)/v1/audits" }

        func stop() {
            listener.stop()
            try? log.close()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    static func start(_ settings: AuditSettings = settings) async throws -> Server {
        let dir = Fixture.temporaryDirectory("audit-api")
        let log = try EventLog(directory: dir, durability: .normal)
        var rng = SystemRandomNumberGenerator()
        let rows: [(String, String, Int64)] = [
            ("urn:epc:id:giai:0614141.LAP-00042", "it-storage", 60_000),
            ("barcode:LAP-00044", "helpdesk", 120_000),
            ("barcode:STRAY", "it-storage", 5_000),
            ("barcode:OLD", "helpdesk", 7_200_000),
        ]
        var events: [MovementEvent] = []
        var records: [AssetRecord] = []
        for (key, zone, ago) in rows {
            let time = Timestamp(milliseconds: now.milliseconds - ago)
            let asset = AssetRef(key: key, scheme: key.hasPrefix("urn:") ? "giai" : "barcode", raw: key)
            events.append(MovementEvent(id: EventID.make(time: time, using: &rng), type: .arrived, time: time, gateway: "gw",
                                        asset: asset, to: zone, readPoint: zone + "-1"))
            records.append(AssetRecord(tag: TagID(bytes: Array(key.utf8)), isScan: false, technology: nil, asset: asset, zone: zone,
                                       since: time, readPoint: zone + "-1", lastRead: time, lastReadInZone: time))
        }
        _ = try await log.append(events, state: AssetStateChanges(upserts: records))
        let server = APIServer(log: log, host: "127.0.0.1", port: 0, logger: LogRecorder().logger(level: .critical),
                               audit: AuditEndpoint(settings: settings, gatewayID: "dock-east", clock: { now }))
        return Server(log: log, listener: try await server.listen(), dir: dir)
    }

    static func post(_ url: String, _ body: [UInt8], contentType: String?) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 64 << 20)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return TestResponse(status: Int(response.status.code), headers: fields, body: String(buffer: collected))
    }

    static let csv = Array("\u{FEFF}Asset Tag,Name,Location\nLAP-00042,\"Laptop, 14\"\"\",HQ Storage Room 2\nLAP-00044,Laptop,HQ Storage Room 2\nLAP-00099,Gone,HQ Storage Room 2\n".utf8)

    @Test func aCSVBodyGetsTheReportAsJSON() async throws {
        let server = try await Self.start()
        defer { server.stop() }
        let response = try await Self.post(server.url, Self.csv, contentType: "text/csv; charset=utf-8")
        #expect(response.status == 200, "\(response.body)")
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["tagway-last-seq"] == "4")
        let object = try #require(response.object)
        #expect(object["time"] as? String == Self.now.iso8601)
        #expect(object["source"] as? String == "request body")
        #expect(object["totals"] as? [String: Int] == ["expected": 3, "found": 1, "missing": 1, "misplaced": 1, "unexpected": 1])
        let zones = try #require(object["zones"] as? [[String: Any]])
        #expect(zones.map { $0["zone"] as? String } == ["helpdesk", "it-storage"])
        // OLD was last read two hours ago, beyond the hour of freshness: not unexpected.
        #expect((zones[0]["unexpected"] as? [Any])?.isEmpty == true)
        #expect(((zones[0]["expectedElsewhere"] as? [[String: Any]])?.first)?["expected"] as? String == "LAP-00044")
        #expect((zones[1]["misplaced"] as? [[String: Any]])?.first?["zone"] as? String == "helpdesk")
        #expect((zones[1]["missing"] as? [[String: Any]])?.first?["line"] as? Int == 4)
        #expect(try server.log.events(after: 0, limit: 10).count == 4, "logEvents is off: nothing is logged")
    }

    @Test func jsonBodiesZoneFilterAndTheTextTable() async throws {
        let server = try await Self.start()
        defer { server.stop() }
        let json = Array("[{\"asset_key\": \"barcode:STRAY\", \"zone\": \"room-2.14\"}]".utf8)
        let filtered = try await Self.post(server.url + "?zone=room-2.14", json, contentType: "application/json")
        #expect(filtered.status == 200, "\(filtered.body)")
        #expect(filtered.object?["zone"] as? String == "it-storage")
        #expect(filtered.object?["totals"] as? [String: Int] == ["expected": 1, "found": 1, "missing": 0, "misplaced": 0, "unexpected": 1])
        // No content type: the first character says JSON.
        let sniffed = try await Self.post(server.url + "?format=text", json, contentType: nil)
        #expect(sniffed.status == 200, "\(sniffed.body)")
        #expect(sniffed.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(sniffed.body.hasPrefix("Audit of request body at 2027-01-15 08:00 UTC, freshness 1h, log seq 4\n"), "\(sniffed.body)")
        #expect(sniffed.body.contains("it-storage: 1 expected, 1 found, 0 missing, 0 misplaced, 1 unexpected"), "\(sniffed.body)")
    }

    @Test func badListsAreA400WithEveryLocatedProblem() async throws {
        let server = try await Self.start()
        defer { server.stop() }
        let bad = Array("Asset Tag,Location\nLAP-1,HQ Storage Room 2\nLAP-2,Warehouse\nLAP-1,HQ Storage Room 2\n".utf8)
        let response = try await Self.post(server.url, bad, contentType: "text/csv")
        #expect(response.status == 400)
        #expect(response.headers["content-type"] == "application/json")
        let object = try #require(response.object)
        #expect(object["error"] as? String == "the expected list has 2 problems")
        #expect((object["detail"] as? String)?.hasPrefix("request body:3: Location: location 'Warehouse' is not in audit.locations") == true)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.map { $0["line"] as? Int } == [3, 4])
        #expect(problems.map { $0["kind"] as? String } == ["unknownLocation", "duplicateKey"])
        #expect(problems.first?["column"] as? String == "Location")
        #expect(object["more"] as? Int == 0)

        for (query, detail) in [("?zone=lab", "zone"), ("?format=xml", "format")] {
            let refused = try await Self.post(server.url + query, Self.csv, contentType: "text/csv")
            #expect(refused.status == 400, "\(query)")
            #expect(refused.object?["detail"] as? String == detail, "\(query): \(refused.body)")
        }
        let xml = try await Self.post(server.url, Self.csv, contentType: "application/xml")
        #expect(xml.status == 415)
        #expect(xml.object?["error"] as? String == "the expected list must be text/csv or application/json")
        let latin1 = try await Self.post(server.url, Array("asset_tag,zone\n".utf8) + [0x42, 0xFC, 0x2C, 0x61, 0x0A], contentType: "text/csv")
        #expect(latin1.status == 400)
        #expect((latin1.object?["problems"] as? [[String: Any]])?.first?["kind"] as? String == "notUTF8")
        let empty = try await Self.post(server.url, [], contentType: "text/csv")
        #expect(empty.status == 400)
        #expect(empty.object?["error"] as? String == "the expected list has 1 problem")
    }

    @Test func aBodyOverTheLimitIsA413() async throws {
        var settings = Self.settings
        settings.maxUploadBytes = 4_096
        let server = try await Self.start(settings)
        defer { server.stop() }
        var body = Array("asset_tag,zone\n".utf8)
        for index in 0..<400 { body += Array("T\(index),helpdesk\n".utf8) }
        #expect(body.count > 4_096)
        let response = try await Self.post(server.url, body, contentType: "text/csv")
        #expect(response.status == 413)
        #expect(response.object?["error"] as? String == "the expected list is larger than 4096 bytes (audit.maxUploadBytes)")
        var small = Array("asset_tag,zone\n".utf8)
        for index in 0..<200 { small += Array("T\(index),helpdesk\n".utf8) }
        #expect(small.count < 4_096)
        let fits = try await Self.post(server.url, small, contentType: "text/csv")
        #expect(fits.status == 200, "\(fits.body)")
    }

    @Test func withLogEventsAFinishedAuditIsLoggedAsAnAuditEvent() async throws {
        var settings = Self.settings
        settings.logEvents = true
        let server = try await Self.start(settings)
        defer { server.stop() }
        let response = try await Self.post(server.url + "?zone=it-storage", Self.csv, contentType: "text/csv")
        #expect(response.status == 200, "\(response.body)")
        let refused = try await Self.post(server.url, Array("asset_tag\nA\n".utf8), contentType: "text/csv")
        #expect(refused.status == 400)
        let events = try server.log.events(after: 4, limit: 10)
        #expect(events.count == 1, "one event for the finished audit, none for the refused list")
        let event = try #require(events.first)
        #expect(event.type == .audit)
        #expect(event.gateway == "dock-east")
        #expect(event.time == Self.now)
        #expect(event.to == "it-storage")
        #expect(event.asset.key == "audit:it-storage")
        #expect(event.reason == "expected=3 found=1 missing=1 misplaced=1 unexpected=1")
        #expect(event.json.contains("\"type\":\"audit\""))
    }
}
