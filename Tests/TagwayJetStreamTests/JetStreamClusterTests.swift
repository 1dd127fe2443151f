import Foundation
import NATSServerSupport
import Testing
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

/// The JetStream sink into an R3 stream of a real 3-node cluster whose stream leader is killed
/// (SIGKILL) mid-burst: the stream must hold every event exactly once, in log order.
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

    @Test func killingTheStreamLeaderMidBurstLosesAndDoublesNothing() async throws {
        try cluster.start()
        let log = try EventLog(directory: directory, durability: .normal)
        let sink = JetStreamSink(id: "js", options: JetStreamFixture.options(cluster.urls, replicas: 3, ackTimeout: .seconds(2)))
        let board = SinkStatusBoard()
        let forwarder = try JetStreamFixture.forwarder(log, sink: sink, board: board)
        let running = Task { await forwarder.run() }
        // The cluster elects its meta leader after start; the sink creates the R3 stream when it can.
        var events = try await log.append((0..<100).map { JetStreamFixture.event($0) })
        let first = try await eventually(attempts: 1_200) { try log.cursor(sink: "js") == events.last?.seq }
        #expect(first, "\(board.snapshot.map(\.json))")
        let reader = try StreamReader(servers: cluster.urls)
        let leaderName = try #require(reader.info("TAGWAY")?.leader)
        let leader = try #require(cluster.server(named: leaderName))
        #expect(reader.info("TAGWAY")?.replicas == 3)

        // The burst: 2,000 events in all, appended as a reader would make them, the leader
        // killed once a quarter of them is in the stream.
        var killed = false
        for chunk in 0..<19 {
            events += try await log.append((0..<100).map { JetStreamFixture.event(1_000 + chunk * 100 + $0, gateway: "gw-1") })
            try await Task.sleep(for: .milliseconds(20))
            if !killed, try log.cursor(sink: "js") >= 500 {
                leader.kill()
                killed = true
            }
        }
        if !killed { leader.kill() }
        let delivered = try await eventually(attempts: 2_400) { try log.cursor(sink: "js") == events.last?.seq }
        running.cancel()
        await running.value
        await sink.shutdown()
        #expect(delivered, "\(board.snapshot.map(\.json))")
        #expect(events.count == 2_000)

        let survivors = cluster.servers.filter { $0 !== leader }.map(\.url)
        let messages = try StreamReader(servers: survivors).messages("TAGWAY")
        let ids = messages.compactMap(\.msgID)
        #expect(ids.count == messages.count, "every message has its Nats-Msg-Id")
        #expect(Set(ids).count == ids.count, "no event twice: \(ids.count - Set(ids).count) duplicates")
        #expect(Set(ids) == Set(events.map(\.id)), "every event: \(Set(events.map(\.id)).subtracting(ids).count) missing")
        #expect(ids == events.map(\.id), "in log order")
    }
}
