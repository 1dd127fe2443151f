import Foundation
import NATSServerSupport
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The JetStream sink into an R3 stream of a real 3-node cluster whose stream leader is killed
/// (SIGKILL) mid-burst, with two gateways (each its own log, outbox and connection) publishing
/// into the one stream: it must hold every event exactly once, each gateway's in log order.
/// A class suite: deinit kills every node, whether the test passed or not.
@Suite(.serialized, .enabled(if: NATSServer.available, "nats-server is not installed (.ci/install-deps installs it)"))
final class JetStreamClusterTests {
    let directory = NSTemporaryDirectory() + "tagway-jetstream-cluster-\(UUID().uuidString.prefix(8))"
    let cluster: NATSCluster

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        cluster = NATSCluster(directory: directory)
    }

    deinit {
        cluster.killAll()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One gateway: its log, its sink and its running outbox.
    struct Gateway {
        let name: String
        let log: EventLog
        let sink: JetStreamSink
        let board = SinkStatusBoard()
        let running: Task<Void, Never>

        init(_ name: String, directory: String, servers: [String]) throws {
            self.name = name
            try FileManager.default.createDirectory(atPath: directory + "/" + name, withIntermediateDirectories: true)
            log = try EventLog(directory: directory + "/" + name, durability: .normal)
            sink = JetStreamSink(id: "js", options: JetStreamFixture.options(servers, replicas: 3, ackTimeout: .seconds(2)))
            let forwarder = try JetStreamFixture.forwarder(log, sink: sink, board: board)
            running = Task { await forwarder.run() }
        }

        func append(_ range: Range<Int>) async throws -> [MovementEvent] {
            try await log.append(range.map { JetStreamFixture.event($0, gateway: name, type: $0 % 4 == 0 ? .departed : .arrived) })
        }

        func delivered() throws -> Int64 { try log.cursor(sink: "js") }

        func stop() async {
            running.cancel()
            await running.value
            await sink.shutdown()
        }
    }

    @Test func killingTheStreamLeaderMidBurstLosesAndDoublesNothing() async throws {
        try cluster.start()
        let gateways = try ["gw-1", "gw-2"].map { try Gateway($0, directory: directory, servers: cluster.urls) }
        var events: [String: [MovementEvent]] = [:]
        // The cluster elects its meta leader after start; the sinks create the R3 stream when it can.
        for gateway in gateways { events[gateway.name] = try await gateway.append(0..<50) }
        for gateway in gateways {
            let first = try await eventually(attempts: 1_200) { try gateway.delivered() == 50 }
            #expect(first, "\(gateway.board.snapshot.map(\.json))")
        }
        let reader = try StreamReader(servers: cluster.urls)
        let leaderName = try #require(reader.info("TAGWAY")?.leader)
        let leader = try #require(cluster.server(named: leaderName))
        #expect(reader.info("TAGWAY")?.replicas == 3)

        // The burst: 1,000 events per gateway (2,000 in all), appended in chunks as readers
        // make them; the leader is killed once a quarter of the burst is in the stream.
        var deliveredAtKill: Int64?
        for chunk in 0..<19 {
            for gateway in gateways {
                events[gateway.name, default: []] += try await gateway.append((100 + chunk * 50)..<(150 + chunk * 50))
            }
            try await Task.sleep(for: .milliseconds(20))
            let delivered = try gateways.map { try $0.delivered() }.reduce(0, +)
            if deliveredAtKill == nil, delivered >= 500 {
                leader.kill()
                deliveredAtKill = delivered
            }
        }
        if deliveredAtKill == nil {
            deliveredAtKill = try gateways.map { try $0.delivered() }.reduce(0, +)
            leader.kill()
        }
        for gateway in gateways {
            let all = try await eventually(attempts: 2_400) { try gateway.delivered() == 1_000 }
            #expect(all, "\(gateway.name): \(gateway.board.snapshot.map(\.json))")
        }
        for gateway in gateways { await gateway.stop() }
        #expect(events.values.map(\.count).reduce(0, +) == 2_000)
        #expect(deliveredAtKill ?? 0 < 2_000, "the leader died while events were still going out")

        let survivors = cluster.servers.filter { $0 !== leader }.map(\.url)
        let messages = try StreamReader(servers: survivors).messages("TAGWAY")
        let ids = messages.compactMap(\.msgID)
        #expect(ids.count == messages.count, "every message has its Nats-Msg-Id")
        #expect(Set(ids).count == ids.count, "no event twice: \(ids.count - Set(ids).count) duplicates")
        let all = events.values.flatMap { $0 }
        #expect(Set(ids) == Set(all.map(\.id)), "every event: \(Set(all.map(\.id)).subtracting(ids).count) missing")
        for gateway in gateways {
            let mine = messages.filter { $0.subject.hasPrefix("tagway.hq.\(gateway.name).") }.compactMap(\.msgID)
            let expected = events[gateway.name] ?? []
            #expect(mine == expected.map(\.id), "\(gateway.name): \(streamDifference(mine, expected))")
        }
    }
}
