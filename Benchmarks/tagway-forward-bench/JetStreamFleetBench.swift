import BenchReport
import Foundation
import Logging
import NATSServerSupport
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks

/// `tagway-forward-bench jetstream [--gateways 1,10,100] [--fleet-events N]`: N gateways' outboxes
/// draining into one R3 stream of a real 3-node nats-server cluster on this machine, through the
/// real sink code (each gateway its own SQLite log, `Forwarder`, `JetStreamSink` and connection).
///
/// Each gateway's log is filled first with `N` events in the mix the movement engine makes of the
/// shared W2 stream (103,172 arrived : 6,876 moved : 3,432 departed), then every outbox starts at
/// once: the figure is the fleet's events per second into the stream until every cursor is at its
/// log's end (every event's PubAck in). That the stream then holds each event exactly once is the
/// JetStream cluster test's to show, not a benchmark's.
enum JetStreamFleetBench {
    static func main(arguments: [String]) async throws {
        guard NATSServer.binary != nil else {
            print("== jetstream fleet: skipped, nats-server is not installed (.ci/install-deps installs it)")
            return
        }
        let fleets = arguments.firstIndex(of: "--gateways").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
            .map { $0.split(separator: ",").compactMap { Int($0) } } ?? [1, 10, 100]
        let total = arguments.firstIndex(of: "--fleet-events").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil }
            ?? 100_000
        print("== jetstream fleet: gateways' outboxes into one R3 stream of a 3-node cluster (\(total) events per fleet size)")
        for gateways in fleets where gateways > 0 {
            try await run(gateways: gateways, perGateway: max(1, total / gateways))
        }
    }

    static func run(gateways: Int, perGateway: Int) async throws {
        let directory = temporaryDirectory("jetstream-fleet")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = NATSCluster(directory: directory, name: "tagway-bench")
        defer { cluster.killAll() }
        try cluster.start()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let fleet = try await Self.fleet(gateways: gateways, perGateway: perGateway, directory: directory, servers: cluster.urls,
                                         stream: JetStreamStreamSpec(name: "FLEET\(gateways)", subjects: ["tagway.bench.>"], replicas: 3),
                                         logger: logger)
        let start = ContinuousClock.now
        let running = fleet.map { member in Task { await member.forwarder.run() } }
        var drained = false
        while !drained, ContinuousClock.now - start < .seconds(600) {
            try await Task.sleep(for: .milliseconds(20))
            drained = try fleet.allSatisfy { try $0.log.cursor(sink: "js") >= Int64(perGateway) }
        }
        let elapsed = seconds(ContinuousClock.now - start)
        for task in running { task.cancel() }
        for task in running { await task.value }
        for member in fleet { await member.sink.shutdown() }
        let sent = gateways * perGateway
        let rate = Double(sent) / elapsed
        print("  \(String(gateways).padding(toLength: 4, withPad: " ", startingAt: 0)) gateways x \(perGateway) events: "
              + (drained ? String(format: "%.0f events/s into the stream (%.2f s)", rate, elapsed) : "NOT drained within 600 s"))
        BenchReport.shared.record(id: "jetstream.fleet_\(gateways).events_per_second",
                                  label: "JetStream: \(gateways) gateways' outboxes into an R3 stream, events/s",
                                  value: drained ? rate : 0, unit: "events/s", better: .higher)
    }

    /// One simulated gateway: its SQLite log, its JetStream sink and its outbox.
    struct Member {
        let log: EventLog
        let sink: JetStreamSink
        let forwarder: Forwarder
    }

    /// `gateways` gateways (`gw-0`…, site `bench`), each with its log in `directory` filled with
    /// `perGateway` events of the W2 mix (0: empty, for events appended while it runs), and a
    /// sink and outbox not started yet.
    static func fleet(gateways: Int, perGateway: Int, directory: String, servers: [String], stream: JetStreamStreamSpec,
                      logger: Logger) async throws -> [Member] {
        var fleet: [Member] = []
        for g in 0..<gateways {
            let name = "gw-\(g)"
            let dir = directory + "/" + name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let log = try EventLog(directory: dir, durability: .normal)
            for start in stride(from: 0, to: perGateway, by: 1_000) {
                _ = try await log.append((start..<min(perGateway, start + 1_000)).map { event($0, gateway: name) })
            }
            let options = JetStreamOptions(servers: servers, site: "bench", stream: stream,
                                           maxInFlight: 256, ackTimeout: .seconds(5), clientName: "tagway-bench-\(name)")
            let sink = JetStreamSink(id: "js", options: options)
            let policy = DeliveryPolicy(maxEvents: 500, linger: .milliseconds(20), retryInitial: .milliseconds(100),
                                        retryMax: .seconds(1))
            let forwarder = try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil),
                                          logger: logger, clock: .system)
            fleet.append(Member(log: log, sink: sink, forwarder: forwarder))
        }
        return fleet
    }

    /// The movement engine's mix on W2: mostly arrivals, some moves and departures.
    static func event(_ i: Int, gateway: String) -> MovementEvent {
        var rng = SystemRandomNumberGenerator()
        let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i))
        let roll = i % 1_000
        let type: EventType = roll < 913 ? .arrived : roll < 974 ? .moved : .departed
        return MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: gateway,
                             asset: AssetRef(key: "urn:epc:id:giai:0614141.\(gateway).\(i)", scheme: "giai", raw: "TAG-\(i)"),
                             from: type == .arrived ? nil : "dock-3", to: type == .departed ? nil : (type == .moved ? "aisle-2" : "dock-3"),
                             readPoint: "door3-in", reader: "door3-uhf", rssi: -55, reads: 3)
    }
}
