import Foundation
import HTTPReceiverSupport
import Logging
import Testing
import TagwayAudit
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// An `audit` event in the log is forwarded like any other: a CloudEvents webhook receives it
/// (type `io.tagway.event.audit`), EPCIS and Snipe-IT leave it out and move their cursors past it.
@Suite(.serialized) struct AuditEventForwardingTests {
    let policy = DeliveryPolicy(maxEvents: 10, linger: .milliseconds(10), retryInitial: .milliseconds(20), retryMax: .milliseconds(200))

    static func auditEvent() -> MovementEvent {
        var report = AuditComparisonFixture.report
        report.zoneFilter = "dock-3"
        var rng = SystemRandomNumberGenerator()
        return AuditEvent.make(report, gatewayID: "gw", id: EventID.make(time: report.time, using: &rng))
    }

    @Test func webhookForwardsItAndEPCISAndSnipeITSkipItAsDelivered() async throws {
        let dir = Fixture.temporaryDirectory("audit-forward")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        _ = try await log.append([Self.auditEvent(), Fixture.event(1, to: "dock-3")])
        let server = RecordingServer { _, _ in .init(status: 200, body: #"{"status":"success"}"#) }
        try await server.start()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let zones = ["dock-3": EPCISDocument.Zone(readPoint: "urn:epc:id:sgln:0614141.00777.3", bizLocation: "urn:epc:id:sgln:0614141.00777.0")]
        let sinks: [(any Sink, DeliveryPolicy)] = [
            (try WebhookSink(id: "hook", url: base + "/hook", format: .cloudevents, secret: nil, clock: wallClock), policy),
            (try EPCISSink(id: "epcis", url: base + "/capture", zones: zones, token: "t", clock: wallClock), policy),
            (try SnipeITSink(id: "snipe", baseURL: base + "/", token: "t", locations: ["dock-3": 7], clock: wallClock), policy),
        ]
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let forwarder = try Forwarder(log: log, sinks: sinks, retention: RetentionPolicy(maxAge: nil), logger: logger, clock: wallClock)
        let running = Task { await forwarder.run() }
        let done = try await eventually {
            try ["hook", "epcis", "snipe"].allSatisfy { try log.cursor(sink: $0) == 2 }
        }
        running.cancel()
        await running.value
        #expect(done, "every sink delivered both events")
        let hook = server.requests.filter { $0.path == "/hook" }
        #expect(hook.count == 1)
        #expect(hook.first?.body.contains(#""type":"io.tagway.event.audit""#) == true, "\(hook.first?.body ?? "")")
        #expect(hook.first?.body.contains(#""reason":"expected="#) == true)
        let capture = server.requests.filter { $0.path == "/capture" }
        #expect(capture.count == 1)
        #expect(capture.first.map { !$0.body.contains("audit:") } == true, "the EPCIS document has only the arrival")
        let snipe = server.requests.filter { $0.path.hasSuffix("/hardware/audit") }
        #expect(snipe.count == 1, "one Snipe-IT audit request, for the arrival only")
        #expect(snipe.first?.body.contains("audit:") == false)
    }
}

/// A small report to make an `audit` event from.
enum AuditComparisonFixture {
    static let report = AuditReport(time: Timestamp(milliseconds: 1_800_000_000_000), freshness: .seconds(60), zoneFilter: nil,
                                    source: "request body", lastSeq: 3, zones: [], totals: AuditTotals())
}
