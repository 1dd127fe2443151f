import BenchReport
import Foundation
import Histogram
import Logging
import NATSServerSupport
import TagwayConfig
import TagwayDelivery
import TagwaySinks
import TagwaySiteRunner

/// `tagway-forward-bench site [--gateways 1,10,100] [--site-events N] [--site-rate R] [--site-seconds S]`: the fleet benchmark's N
/// gateways' outboxes (their own SQLite logs, `Forwarder`s, `JetStreamSink`s and connections)
/// publish the W2 mix into an R3 stream of a real 3-node nats-server cluster on this machine, and
/// the real site runner (`SiteRunner`, what `tagway site` runs) consumes it: every site event
/// published into its R3 stream and PubAcked, every step recorded in the R3 bucket.
///
/// Figures, per fleet size: events/s into the stream (until the last one is stored), the site's
/// gateway events applied per second (until the last one is acked by the site, which it does only
/// once the step that applied it is carried out), and the lag from an event stored to the site
/// having applied it, p50/p99/max in an HDR histogram. The lag is read from two counters sampled
/// every 10 ms: the stream's last sequence (stored, that is PubAcked) and the site consumer's ack
/// floor (applied): sequence k's lag is the time from the first sample where the stream held k to
/// the first where the ack floor reached k, so it is exact to the sampling period, and it includes
/// the site's `reorderWindow` hold (set here to 250 ms, `view.reorderWindow`).
///
/// Two runs per fleet size: a backlog (`N` events in the logs before the outboxes start, the
/// fleet's catch-up after an outage: the site's top rate, and a lag that is mostly queueing), and
/// a paced one (`R` events/s appended across the gateways' logs for `S` seconds while everything
/// runs: the lag of a site that keeps up).
enum SiteBench {
    static let reorderWindow = Duration.milliseconds(250)

    static func main(arguments: [String]) async throws {
        guard NATSServer.binary != nil else {
            print("== site view: skipped, nats-server is not installed (.ci/install-deps installs it)")
            return
        }
        let fleets = arguments.firstIndex(of: "--gateways").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
            .map { $0.split(separator: ",").compactMap { Int($0) } } ?? [1, 10, 100]
        let total = arguments.firstIndex(of: "--site-events").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil }
            ?? 20_000
        print("== site view: gateways' outboxes into an R3 stream, `tagway site`'s runner applying them (\(total) events per fleet size, "
              + "reorderWindow \(reorderWindow))")
        let rate = arguments.firstIndex(of: "--site-rate").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 100
        let duration = arguments.firstIndex(of: "--site-seconds").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 20
        for gateways in fleets where gateways > 0 {
            try await run(gateways: gateways, load: .backlog(perGateway: max(1, total / gateways)))
            try await run(gateways: gateways, load: .paced(perSecond: max(1, rate), seconds: max(1, duration)))
        }
    }

    enum Load {
        case backlog(perGateway: Int)
        case paced(perSecond: Int, seconds: Int)
    }

    struct Sample {
        var at: Duration
        var stored: UInt64
        var applied: UInt64
    }

    static func run(gateways: Int, load: Load) async throws {
        let directory = temporaryDirectory("site")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = NATSCluster(directory: directory, name: "tagway-bench")
        defer { cluster.killAll() }
        try cluster.start()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let spec = JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"], replicas: 3)
        let probe = try JetStreamProbe(servers: cluster.urls)
        // The stream first, once the cluster has its meta leader: the site's consumer needs it.
        var problem = probe.addStream(spec)
        for _ in 0..<200 where problem != nil {
            try await Task.sleep(for: .milliseconds(100))
            problem = probe.addStream(spec)
        }
        if let problem { throw JetStreamProbe.ProbeError(description: "stream TAGWAY not created: \(problem)") }

        var config = SiteConfiguration(site: "bench", servers: cluster.urls)
        config.bucket.replicas = 3
        config.events.stream.replicas = 3
        config.view.reorderWindow = reorderWindow
        var options = SiteRunner.Options()
        options.retryDelay = .milliseconds(200)
        let runner = SiteRunner(config: config, options: options, logger: logger)
        let site = Task { await runner.run() }
        defer { site.cancel() }
        let activeBy = ContinuousClock.now + .seconds(60)
        while !runner.counters.active, ContinuousClock.now < activeBy { try await Task.sleep(for: .milliseconds(20)) }

        let prefilled: Int, sent: UInt64, label: String, key: String
        switch load {
        case .backlog(let perGateway):
            (prefilled, sent) = (perGateway, UInt64(gateways * perGateway))
            (label, key) = ("\(String(gateways).padding(toLength: 4, withPad: " ", startingAt: 0)) gateways, backlog of \(perGateway) each", "")
        case .paced(let perSecond, let seconds):
            (prefilled, sent) = (0, UInt64(perSecond * seconds))
            (label, key) = ("\(String(gateways).padding(toLength: 4, withPad: " ", startingAt: 0)) gateways, \(perSecond) events/s for \(seconds) s", ".paced")
        }
        let fleet = try await JetStreamFleetBench.fleet(gateways: gateways, perGateway: prefilled, directory: directory,
                                                        servers: cluster.urls, stream: spec, logger: logger)
        let start = ContinuousClock.now
        let running = fleet.map { member in Task { await member.forwarder.run() } }
        let appending = Task {
            guard case .paced(let perSecond, _) = load else { return }
            // Every 10 ms, the events due by then, round-robin over the gateways' logs.
            var appended = 0
            while UInt64(appended) < sent, !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(10))
                let due = min(Int(sent), Int(seconds(ContinuousClock.now - start) * Double(perSecond)))
                while appended < due {
                    let member = fleet[appended % gateways]
                    _ = try await member.log.append([JetStreamFleetBench.event(appended, gateway: "gw-\(appended % gateways)")])
                    appended += 1
                }
            }
        }
        var samples: [Sample] = []
        var last = Sample(at: .zero, stored: 0, applied: 0)
        while last.applied < sent, ContinuousClock.now - start < .seconds(900) {
            try await Task.sleep(for: .milliseconds(10))
            last = Sample(at: ContinuousClock.now - start, stored: probe.lastSequence(spec.name),
                          applied: probe.ackFloor(spec.name, consumer: config.consumer))
            samples.append(last)
        }
        appending.cancel()
        _ = await appending.result
        for task in running { task.cancel() }
        for task in running { await task.value }
        for member in fleet { await member.sink.shutdown() }
        site.cancel()
        await site.value

        let done = last.applied >= sent
        let stored = samples.first { $0.stored >= sent }?.at
        let lag = lagHistogram(samples, upTo: sent)
        let storeRate = stored.map { Double(sent) / seconds($0) } ?? 0
        let siteRate = done ? Double(sent) / seconds(last.at) : 0
        func ms(_ value: UInt64) -> Double { Double(value) / 1000 }
        let p50 = ms(lag.valueAtPercentile(50)), p99 = ms(lag.valueAtPercentile(99)), max = ms(lag.max)
        print("  \(label): "
              + (done ? String(format: "%.0f events/s into the stream, %.0f applied/s by the site; lag stored→applied ms p50 %.0f p99 %.0f max %.0f",
                               storeRate, siteRate, p50, p99, max)
                      : "NOT applied within 900 s (\(last.applied) of \(sent); site \(runner.counters))"))
        let report = BenchReport.shared, prefix = "site.fleet_\(gateways)\(key)", what = "\(gateways) gateways" + (key.isEmpty ? " (backlog)" : " (paced)")
        report.record(id: "\(prefix).stream_events_per_second", label: "site: \(what) into the stream, events/s",
                      value: storeRate, unit: "events/s", better: .higher)
        report.record(id: "\(prefix).applied_per_second", label: "site: \(what), gateway events applied by the site/s",
                      value: siteRate, unit: "events/s", better: .higher)
        for (name, value) in [("p50", p50), ("p99", p99), ("max", max)] {
            report.record(id: "\(prefix).lag_\(name)_ms", label: "site: \(what), stored→applied lag \(name) ms",
                          value: done ? value : 0, unit: "ms", better: .lower)
        }
    }

    /// Per stream sequence 1…`count`: the time from the first sample that stored it to the
    /// first that had it applied, in microseconds.
    static func lagHistogram(_ samples: [Sample], upTo count: UInt64) -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(highestTrackableValue: 900_000_000, numberOfSignificantValueDigits: .three)
        var storedAt: [Duration] = []
        storedAt.reserveCapacity(Int(count))
        var appliedUpTo: UInt64 = 0
        for sample in samples {
            while UInt64(storedAt.count) < Swift.min(sample.stored, count) { storedAt.append(sample.at) }
            while appliedUpTo < Swift.min(sample.applied, UInt64(storedAt.count)) {
                let lag = (sample.at - storedAt[Int(appliedUpTo)]).components
                histogram.record(UInt64(Swift.max(0, lag.seconds * 1_000_000 + lag.attoseconds / 1_000_000_000_000)))
                appliedUpTo += 1
            }
        }
        return histogram
    }
}
