import CNATS
import Foundation
import NATSServerSupport
import TagwayModel
import TagwayDelivery
import TagwaySinks
import Testing
@testable import TagwaySiteRunner

/// The site's batched publishes and bucket writes against a real server: a step's site events
/// land in their order, once, and a refused one stops every later one of the batch (so a
/// stream never holds a later site event without an earlier one); a step's rows land together.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteBatchPublishTests {
    let fixture: NATSServerFixture
    let nats: SiteJetStream

    init() throws {
        fixture = try NATSServerFixture("site-batch")
        let connection = try NATSConnection(options: JetStreamOptions(servers: [fixture.server.url], site: "s",
                                                                      stream: JetStreamStreamSpec(name: "EVENTS", subjects: ["site.>"])))
        nats = try SiteJetStream(connection: connection, wait: .seconds(5))
    }

    /// A stream refusing messages over `maxBytes`, de-duplicating by id for two minutes.
    func addStream(maxBytes: Int32) throws {
        var config = jsStreamConfig()
        jsStreamConfig_Init(&config)
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        let status = "EVENTS".withCString { name in
            "site.>".withCString { subject in
                var subjects: [UnsafePointer<CChar>?] = [subject]
                return subjects.withUnsafeMutableBufferPointer { list in
                    config.Name = name
                    config.Subjects = list.baseAddress
                    config.SubjectsLen = 1
                    config.Storage = js_FileStorage
                    config.MaxMsgSize = maxBytes
                    config.Duplicates = 120_000_000_000
                    return js_AddStream(&info, nats.js, &config, nil, &code)
                }
            }
        }
        jsStreamInfo_Destroy(info)
        #expect(status == NATS_OK, "stream: \(code.rawValue)")
    }

    func publishes(_ sizes: [Int], from first: Int = 0) -> [SiteStep.Publish] {
        sizes.enumerated().map { i, size in
            SiteStep.Publish(subject: "site.a", id: "event-\(first + i)", payload: String(repeating: "x", count: size))
        }
    }

    func storedIDs() -> [String] { nats.readStream("EVENTS").compactMap(\.id) }

    @Test func aStepsSiteEventsLandInOrderOnceAcrossChunks() throws {
        try addStream(maxBytes: 4_096)
        let step = publishes(Array(repeating: 10, count: SiteJetStream.asyncChunk * 2 + 7))
        var ticks = 0
        try nats.publishInOrder(step) { ticks += 1 }
        #expect(storedIDs() == step.map(\.id))
        #expect(ticks == 3, "the lease's renewal runs before each chunk")
        // Carried out again (a step found recorded at start): all duplicates, nothing added.
        try nats.publishInOrder(step) {}
        #expect(storedIDs() == step.map(\.id))
    }

    @Test func aRefusedSiteEventStopsEveryLaterOneAndTheStepResumesInOrder() throws {
        try addStream(maxBytes: 512)
        var step = publishes([10, 10, 10, 2_000, 10, 10, 10])
        #expect(throws: SiteJetStream.Failure.self) { try self.nats.publishInOrder(step) {} }
        // The later ones were sent at once, but refused: the stream has no gap.
        #expect(storedIDs() == ["event-0", "event-1", "event-2"])
        // The step carried out again, once the cause is gone, lands the rest in order.
        step[3].payload = "small again"
        try nats.publishInOrder(step) {}
        #expect(storedIDs() == step.map(\.id))
    }

    @Test func aStepsRowsLandTogetherAndDeletesRemove() throws {
        try nats.openBucket("SITE_BATCH", replicas: 1)
        try nats.put("gone", Array("old".utf8))
        var writes = (0..<(SiteJetStream.asyncChunk + 3)).map { SiteStep.Write(key: "asset.\($0)", value: "{\"n\":\($0)}") }
        writes.append(SiteStep.Write(key: "gone", value: nil))
        try nats.write(writes) {}
        #expect(try nats.get("asset.0").map { String(decoding: $0.value, as: UTF8.self) } == "{\"n\":0}")
        #expect(try nats.get("asset.\(SiteJetStream.asyncChunk + 2)") != nil)
        #expect(try nats.get("gone") == nil)
        #expect(try nats.entries(prefix: "asset.").count == SiteJetStream.asyncChunk + 3)
    }

    /// An ended session's context lets go of what its PubAck handler held: at once when it never
    /// published asynchronously, once its publishes' deadlines have passed when it did (the
    /// context is destroyed then, see `NATSCalls.destroyContext`). A site whose server flaps
    /// ends a session every few seconds, for months.
    @Test func anEndedSessionsContextReleasesItsPubAckOutcomes() async throws {
        try addStream(maxBytes: 4_096)
        weak var quiet: AsyncPublishOutcomes?
        weak var published: AsyncPublishOutcomes?
        do {
            let connection = try NATSConnection(options: JetStreamOptions(servers: [fixture.server.url], site: "s",
                                                                          stream: JetStreamStreamSpec(name: "EVENTS", subjects: ["site.>"])))
            let idle = try SiteJetStream(connection: connection, wait: .milliseconds(100))
            let busy = try SiteJetStream(connection: connection, wait: .milliseconds(100))
            quiet = idle.asyncOutcomes
            published = busy.asyncOutcomes
            try busy.publishInOrder(publishes([10, 10, 10])) {}
            idle.close()
            busy.close()
            connection.close()
        }
        #expect(quiet == nil, "a context that never published asynchronously is destroyed at once")
        // Still held while a late PubAck could come (100 ms, and the 2 s margin), then released.
        #expect(published != nil, "released before the context was destroyed")
        let deadline = ContinuousClock.now + .seconds(30)
        while published != nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(published == nil, "the outcomes of an ended session were kept")
        #expect(storedIDs() == ["event-0", "event-1", "event-2"])
    }
}
