import CNATS
import Foundation
import NATSServerSupport
import TagwayDelivery
import TagwaySinks
import Testing
@testable import TagwaySiteRunner

/// The durable pull consumer's fetch against a real nats-server when fetches return before all
/// they asked for has come (messages of 8 KiB, every other fetch waiting 1 ms): the messages left
/// over in the subscription are returned by the next fetches, each once and in order, never more
/// than a batch at a time. Against libnats 3.4.1's own fetch of a whole batch with more than half
/// a batch left over, this aborted the test process on a corrupted heap ("double free or
/// corruption", "malloc(): invalid size") in 4 of 5 runs; see `SiteJetStream.fetch`.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteFetchTests {
    let fixture: NATSServerFixture

    init() throws { fixture = try NATSServerFixture("site-fetch") }

    @Test func messagesLeftOverByAFetchComeOnceInOrderAndNeverMoreThanABatch() throws {
        let connection = try NATSConnection(options: JetStreamOptions(servers: [fixture.server.url], site: "s",
                                                                      stream: JetStreamStreamSpec(name: "F", subjects: ["f.>"])))
        defer { connection.close() }
        let publisher = try SiteJetStream(connection: connection, wait: .seconds(5))
        defer { publisher.close() }
        try publisher.ensureStream(JetStreamStreamSpec(name: "F", subjects: ["f.>"]))
        let total = 3_000
        let padding = Array(repeating: UInt8(ascii: " "), count: 8_192)
        for i in 1...total { try publisher.publish(subject: "f.x", payload: Array("\(i)".utf8) + padding, id: "m\(i)") }
        // Three durable consumers in turn, each reading the whole stream.
        for pass in 1...3 {
            let nats = try SiteJetStream(connection: connection, wait: .seconds(5))
            defer { nats.close() }
            try nats.subscribe(stream: "F", filter: "f.x", durable: "fetcher-\(pass)", ackWait: .seconds(60))
            var seen: [Int] = []
            var largest = 0
            var leftOvers = 0
            var round = 0
            while seen.count < total, round < 5_000 {
                round += 1
                if nats.leftOverInSubscription { leftOvers += 1 }
                let messages = try nats.fetch(batch: 256, timeout: round % 2 == 1 ? .milliseconds(1) : .milliseconds(200))
                largest = max(largest, messages.count)
                for message in messages {
                    seen.append(Int(String(decoding: message.payload.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)) ?? -1)
                    try nats.ack(message)
                    nats.release(message)
                }
            }
            #expect(largest <= 256, "pass \(pass)")
            #expect(seen == Array(1...total), "pass \(pass): \(seen.count) messages, \(Set(seen).count) distinct")
            #expect(leftOvers > 0, "pass \(pass): no fetch left messages over, so this tested nothing")
        }
    }
}
