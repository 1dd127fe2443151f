import BenchReport
import Foundation
import Logging
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwaySinks

// Forwarding benchmarks (issue 6). Run in release mode, on an otherwise idle machine:
//   swift run -c release tagway-forward-bench [append|webhook|drain|pipeline|restart|llrp|log|jetstream|site|all] [--events N] [--drain-events N]
//   [--json FILE]
// (a) durable appends/s through group commit, (b) events/s delivered to a loopback webhook,
// (c) time to drain a backlog of 1,000,000 events, (d) durable events/s through the Pipeline
// (`pipeline [--events N] [--wave K] [--chunk C] [--repeats R]`, see PipelineBench.swift),
// (e) a restart with N tracked assets ready (`restart [--assets N]`, see RestartBench.swift),
// (f) an emulated LLRP reader → the real Gateway → durable events, with read→durable latency
// percentiles (`llrp [--rate R] [--seconds S]`, see LLRPLatencyBench.swift), (g) 1,000,000 events
// through EventLog in the pipeline's appends against plain SQLite inserts (`log [--log-events N]
// [--batch B]`, see EventLogBench.swift), (h) N gateways' outboxes into one R3 JetStream stream of a
// 3-node nats-server cluster (`jetstream [--gateways 1,10,100] [--fleet-events N]`, see JetStreamFleetBench.swift),
// (i) the same fleet with the site runner applying the stream: events/s in, applied/s and lag
// (`site [--gateways 1,10,100] [--site-events N]`, see SiteBench.swift).
// Figures are printed, never asserted. `--events N` sizes (a) and (d): a small N (e.g. 500) lets
// them finish under valgrind --tool=callgrind.

// Warnings and errors only: the sinks' start-up notices (a JetStream stream created, once per
// gateway of the fleet benchmark) would bury the figures.
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .warning
    return handler
}

let arguments = Array(CommandLine.arguments.dropFirst())
let which = BenchSection.chosen(arguments, sections: ["append", "webhook", "drain", "restart", "pipeline", "llrp", "log", "jetstream", "site"],
                                usage: """
    usage: tagway-forward-bench [append|webhook|drain|restart|pipeline|llrp|log|jetstream|site|all] [options] [--json FILE]
      append, pipeline: [--events N]; drain: [--drain-events N]; restart: [--assets N]; llrp: [--rate R] [--seconds S]
      log: [--log-events N] [--batch B]; jetstream: [--gateways 1,10,100] [--fleet-events N]
      site: [--gateways 1,10,100] [--site-events N] [--site-rate R] [--site-seconds S]
    Figures are printed (and written to FILE with --json), never asserted. Run in release mode.
    """)
func intOption(_ name: String) -> Int? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil }
}
let drainEvents = intOption("--drain-events") ?? 1_000_000
let appendEvents = max(64, intOption("--events") ?? 32_000)

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func temporaryDirectory(_ label: String) -> String {
    let dir = NSTemporaryDirectory() + "tagway-bench-\(label)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func sampleEvent(_ i: Int) -> MovementEvent {
    var rng = SystemRandomNumberGenerator()
    let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i))
    return MovementEvent(id: EventID.make(time: time, using: &rng), type: i % 2 == 0 ? .arrived : .departed, time: time,
                         gateway: "bench", asset: AssetRef(key: "urn:epc:id:sgtin:0614141.812345.\(i)", scheme: "sgtin",
                                                           raw: "3074257BF7194E4000001A85"),
                         from: i % 2 == 0 ? nil : "dock-3", to: i % 2 == 0 ? "dock-3" : nil, readPoint: "door3-in",
                         reader: "door3-uhf", rssi: -55, reads: 17)
}

if which == "append" || which == "all" {
    print("== (a) durable appends through group commit: 64 concurrent writers, one event per append")
    for durability in EventLog.Durability.allCases {
        let dir = temporaryDirectory("append")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: durability)
        let writers = 64, perWriter = appendEvents / 64
        let events = (0..<(writers * perWriter)).map(sampleEvent)
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<perWriter { _ = try? await log.append([events[w * perWriter + i]]) }
                }
            }
        }
        let elapsed = seconds(ContinuousClock.now - start)
        let transactions = await log.committerTransactions
        print("  synchronous=\(durability.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(format: "%9.0f", Double(events.count) / elapsed)) events/s  (\(events.count) events in \(transactions) transactions)")
        BenchReport.shared.record(id: "forward.append.\(durability.rawValue).events_per_second",
                                  label: "append: 64 writers, 1 event/append, synchronous=\(durability.rawValue)",
                                  value: Double(events.count) / elapsed, unit: "events/s", better: .higher)
    }
}

/// Fills a log with `count` events, then times a webhook sink draining it to a loopback receiver.
@discardableResult
func drain(count: Int, maxEvents: Int, label: String) async throws -> Double {
    let dir = temporaryDirectory(label)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let log = try EventLog(directory: dir, durability: .normal)
    var i = 0
    while i < count {
        let n = min(10_000, count - i)
        _ = try await log.append((i..<(i + n)).map(sampleEvent))
        i += n
    }
    let receiver = LoopbackReceiver()
    try await receiver.start()
    defer { receiver.stop() }
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    let sink = try WebhookSink(id: "bench", url: "http://127.0.0.1:\(receiver.port)/hook", secret: Array("s".utf8),
                               clock: { Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)) })
    let forwarder = try Forwarder(log: log, sinks: [(sink, DeliveryPolicy(maxEvents: maxEvents, linger: .zero))],
                                  retention: RetentionPolicy(maxAge: nil), logger: logger,
                                  clock: { Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)) })
    let last = try log.lastSeq()
    let start = ContinuousClock.now
    let running = Task { await forwarder.run() }
    while try log.cursor(sink: "bench") < last { try await Task.sleep(for: .milliseconds(20)) }
    let elapsed = seconds(ContinuousClock.now - start)
    running.cancel()
    await running.value
    print("  \(count) events, batches of \(maxEvents): \(String(format: "%.2f", elapsed)) s, \(String(format: "%.0f", Double(count) / elapsed)) events/s (receiver counted \(receiver.received))")
    return elapsed
}

if which == "webhook" || which == "all" {
    print("== (b) delivery to a loopback webhook (JSON arrays, HMAC-signed, cursor persisted per batch)")
    for batch in [1, 100, 500] {
        let count = batch == 1 ? 5_000 : 100_000
        let elapsed = try await drain(count: count, maxEvents: batch, label: "webhook")
        BenchReport.shared.record(id: "forward.webhook.batch\(batch).events_per_second", label: "webhook: batches of \(batch)",
                                  value: Double(count) / elapsed, unit: "events/s", better: .higher)
    }
}

if which == "drain" || which == "all" {
    print("== (c) drain a backlog of \(drainEvents) events to a loopback webhook")
    let elapsed = try await drain(count: drainEvents, maxEvents: 1000, label: "drain")
    BenchReport.shared.record(id: "forward.drain.seconds", label: "drain \(drainEvents) events to a webhook, batches of 1000",
                              value: elapsed, unit: "s", better: .lower)
}

if which == "restart" || which == "all" {
    try await RestartBench.main(arguments: arguments)
}

if which == "pipeline" || which == "all" {
    try await PipelineBench.main(arguments: arguments)
}

if which == "llrp" || which == "all" {
    try await LLRPLatencyBench.main(arguments: arguments)
}

if which == "log" || which == "all" {
    try await EventLogBench.main(arguments: arguments)
}

if which == "jetstream" || which == "all" {
    try await JetStreamFleetBench.main(arguments: arguments)
}

if which == "site" || which == "all" {
    try await SiteBench.main(arguments: arguments)
}

try BenchReport.shared.writeIfAsked()
