import Foundation
import HTTPReceiverSupport
import Logging
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The EPCIS and Snipe-IT sinks through the outbox, against HTTP servers on 127.0.0.1.
@Suite(.serialized) struct EPCISAndSnipeITTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()
    let policy = DeliveryPolicy(maxEvents: 10, linger: .milliseconds(10), retryInitial: .milliseconds(20), retryMax: .milliseconds(200))

    @Test func epcisCaptureReceivesObjectEventsAndA409CountsAsDelivered() async throws {
        let dir = Fixture.temporaryDirectory("epcis")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Fixture.fill(log, count: 25)
        // The second capture is answered 409: the repository already has those eventIDs.
        let server = RecordingServer { _, index in .init(status: index == 1 ? 409 : (index == 2 ? 503 : 202)) }
        try await server.start()
        defer { server.stop() }
        let zones = ["dock-3": EPCISDocument.Zone(readPoint: "urn:epc:id:sgln:0614141.00777.3", bizLocation: "urn:epc:id:sgln:0614141.00777.0")]
        let sink = try EPCISSink(id: "epcis", url: "http://127.0.0.1:\(server.port)/capture", zones: zones, token: "t0k",
                                 clock: wallClock)
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), logger: logger,
                                      clock: wallClock)
        let running = Task { await forwarder.run() }
        let done = try await eventually { try log.cursor(sink: "epcis") == 25 }
        running.cancel()
        await running.value
        #expect(done)
        let requests = server.requests
        #expect(requests.count == 4, "10 + 10 (409) + 5 (503, then 202)")
        #expect(requests.allSatisfy { $0.path == "/capture" && $0.headers[.authorization] == "Bearer t0k" })
        #expect(requests.allSatisfy { $0.headers[.contentType] == "application/ld+json" })
        var eventIDs: [String] = []
        for request in [requests[0], requests[1], requests[3]] {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
            #expect(document["type"] as? String == "EPCISDocument")
            let list = try #require((document["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
            #expect(list.allSatisfy { ($0["readPoint"] as? [String: Any])?["id"] as? String == "urn:epc:id:sgln:0614141.00777.3" })
            eventIDs += list.compactMap { $0["eventID"] as? String }
        }
        #expect(eventIDs == (try log.events(after: 0, limit: 100)).map { "urn:uuid:" + $0.id })
        #expect(requests[3].body.contains("\"creationDate\"") && requests[2].body.contains(eventIDs[20]),
                "the retried batch carries the same eventIDs")
    }

    @Test func snipeITAuditsMovesIntoMappedZonesReadsErrorsIn200sAndRespects429() async throws {
        let dir = Fixture.temporaryDirectory("snipeit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        // Events 0-5 arrive at dock-3 (mapped), 6-7 at helpdesk (not mapped), 8-9 depart.
        let events = (0..<6).map { Fixture.event($0, to: "dock-3") } + (6..<8).map { Fixture.event($0, to: "helpdesk") }
            + (8..<10).map { Fixture.event($0, type: .departed, to: nil, from: "dock-3") }
        _ = try await log.append(events)
        let server = RecordingServer { request, index in
            if index == 1 { return .init(status: 429, body: #"{"status":"error","messages":"Too Many Attempts."}"#, retryAfter: "1") }
            if request.body.contains("\"TAG-3\"") {
                return .init(status: 200, body: #"{"status":"error","messages":"Asset with tag TAG-3 not found","payload":null}"#)
            }
            return .init(status: 200, body: #"{"status":"success","messages":"Asset audited successfully.","payload":{"asset_tag":"x"}}"#)
        }
        try await server.start()
        defer { server.stop() }
        // A generous request timeout: under a loaded full suite a 10 s timeout once fired, a
        // legitimate retry that this test would count as a second 429.
        let sink = try SnipeITSink(id: "snipe", baseURL: "http://127.0.0.1:\(server.port)/", token: "api-token",
                                   locations: ["dock-3": 12], timeout: .seconds(60), clock: wallClock)
        let board = SinkStatusBoard()
        let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                                      logger: logger, clock: wallClock)
        let running = Task { await forwarder.run() }
        let done = try await eventually { try log.cursor(sink: "snipe") == 10 }
        running.cancel()
        await running.value
        #expect(done, "\(board.snapshot.map(\.json))")
        let requests = server.requests
        #expect(requests.allSatisfy { $0.path == "/api/v1/hardware/audit" && $0.headers[.authorization] == "Bearer api-token" })
        let audited = requests.compactMap { request -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any]
            #expect(object?["location_id"] as? Int == 12 && object?["update_location"] as? Bool == true)
            return object?["asset_tag"] as? String
        }
        // TAG-1 was refused with 429 once and sent again after Retry-After; the retried batch
        // resumed after TAG-0, which the store had accepted (issue 18: no audit sent twice).
        #expect(audited == ["TAG-0", "TAG-1", "TAG-1", "TAG-2", "TAG-3", "TAG-4", "TAG-5"])
        #expect(sink.skipped == 1, "the unknown tag answered inside a 200 was read")
        #expect(board.snapshot.first?.retried == 1, "\(board.snapshot.map(\.json))")
        #expect(board.snapshot.first?.lastError?.contains("HTTP 429") == true, "\(board.snapshot.map(\.json))")
    }
}
