import Foundation
import Testing
import TagwayModel
import TagwaySinks

/// Sink formats, checked by parsing them back.
@Suite struct PayloadTests {
    let events = [Fixture.event(1), Fixture.event(2, type: .departed, to: nil, from: "dock-3")].enumerated().map { index, event in
        var e = event
        e.seq = Int64(index + 41)
        return e
    }

    func parse(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func jsonIsAnArrayOfTheLoggedEvents() throws {
        let array = try #require(try parse(WebhookPayload.body(events, format: .json)) as? [[String: Any]])
        #expect(array.count == 2)
        #expect(array.map { $0["id"] as? String } == events.map(\.id))
        #expect(array.map { $0["seq"] as? Int } == [41, 42])
        #expect(WebhookPayload.contentType(.json) == "application/json")
    }

    @Test func cloudEventsBatch() throws {
        let array = try #require(try parse(WebhookPayload.body(events, format: .cloudevents)) as? [[String: Any]])
        #expect(WebhookPayload.contentType(.cloudevents) == "application/cloudevents-batch+json")
        let first = try #require(array.first)
        #expect(first["specversion"] as? String == "1.0")
        #expect(first["id"] as? String == events[0].id)
        #expect(first["source"] as? String == "urn:tagway:gateway:test-gw")
        #expect(first["type"] as? String == "io.tagway.event.arrived")
        #expect(first["subject"] as? String == "urn:epc:id:giai:0614141.1")
        #expect(first["time"] as? String == events[0].time.iso8601)
        #expect((first["data"] as? [String: Any])?["seq"] as? Int == 41)
    }

    @Test func signatureIsHMACSHA256OfTimestampAndBody() {
        // Expected value computed independently with Python's hmac module.
        #expect(WebhookPayload.signature(body: "[{\"a\":1}]", secret: Array("topsecret".utf8), unixSeconds: 1_764_000_000)
                == "t=1764000000,v1=44ad77193b06360dbd4ac5df5355cd440c914412132955951a9a00e43079f13d")
    }

    @Test func idempotencyKeyDependsOnTheEventsOnly() {
        let key = WebhookPayload.idempotencyKey(events)
        #expect(key.count == 32)
        #expect(WebhookPayload.idempotencyKey(events) == key)
        #expect(WebhookPayload.idempotencyKey(Array(events.prefix(1))) != key)
    }

    @Test func epcisObjectEvents() throws {
        let zones = ["dock-3": EPCISDocument.Zone(readPoint: "urn:epc:id:sgln:0614141.00777.door3", bizLocation: "urn:epc:id:sgln:0614141.00777.0")]
        let passed = { var e = Fixture.event(3, type: .passed); e.direction = .out; return e }()
        let alert = Fixture.event(4, type: .alert)
        let text = try #require(EPCISDocument.document(events + [passed, alert], zones: zones, created: events[0].time))
        let document = try #require(try parse(text) as? [String: Any])
        #expect(document["type"] as? String == "EPCISDocument")
        #expect(document["schemaVersion"] as? String == "2.0")
        #expect((document["@context"] as? [String])?.first == "https://ref.gs1.org/standards/epcis/epcis-context.jsonld")
        let list = try #require((document["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
        #expect(list.count == 3, "the alert is not an object observation")
        #expect(list.map { $0["bizStep"] as? String } == ["arriving", "departing", "entering_exiting"])
        #expect(list.allSatisfy { $0["type"] as? String == "ObjectEvent" && $0["action"] as? String == "OBSERVE" })
        #expect(list[0]["eventID"] as? String == "urn:uuid:" + events[0].id)
        #expect((list[0]["readPoint"] as? [String: Any])?["id"] as? String == "urn:epc:id:sgln:0614141.00777.door3")
        #expect((list[1]["bizLocation"] as? [String: Any])?["id"] as? String == "urn:epc:id:sgln:0614141.00777.0")
        #expect((list[0]["epcList"] as? [String]) == ["urn:epc:id:giai:0614141.1"])
        #expect(EPCISDocument.document([alert], zones: zones, created: alert.time) == nil)
        // Deterministic: the same events give the same eventIDs.
        #expect(EPCISDocument.objectEvent(events[0], zones: zones) == EPCISDocument.objectEvent(events[0], zones: zones))
    }

    @Test func mqttTopicTemplate() {
        var event = Fixture.event(5, to: "dock/3")
        event.reader = nil
        #expect(MQTTTopic.render("tagway/{gateway}/events/{type}", event) == "tagway/test-gw/events/arrived")
        #expect(MQTTTopic.render("t/{zone}/{reader}/{readPoint}", event) == "t/dock_3/-/door3-in")
    }

    @Test func snipeITErrorsInsideA200AreRead() {
        #expect(SnipeITSink.applicationError(#"{"status":"error","messages":"Asset with tag X not found"}"#) == "Asset with tag X not found")
        #expect(SnipeITSink.applicationError(#"{"status":"error","messages":{"asset_tag":["required"]}}"#)?.contains("required") == true)
        #expect(SnipeITSink.applicationError(#"{"status":"success","messages":"audited"}"#) == nil)
        #expect(SnipeITSink.applicationError("not json") == nil)
    }
}
