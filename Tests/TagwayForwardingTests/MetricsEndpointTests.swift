import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// `GET /metrics` of the real `tagway run` after a scripted scenario on ptys (a barcode scanner
/// and an EM4100 reader) with a webhook sink: parsed by the official Prometheus text-format
/// parser, and its figures compared with the log the gateway wrote and the store's deliveries.
@Suite(.serialized) struct MetricsEndpointTests {
    struct Run {
        let scrape: PrometheusScrape
        let contentType: String?
        let events: [MovementEvent]
        let delivered: Int
        let started: Double
        let finished: Double
    }

    static let faults = "1.0 scan X\(String(repeating: "0", count: 5000))\n1.2 unplug\n1.5 replug\n"
    static let scans = ["]C0ASSET-0001", "]C0ASSET-0002", "]C0ASSET-0003", "]C0ASSET-0004", "]C0ASSET-0005"]

    /// Runs the scenario to its end (every event logged and delivered), then scrapes once.
    /// With `faults`, the scanner also sends a line past the decoder's bound (an `overlong`
    /// drop) and is unplugged and plugged in again (a port error and a reconnect), after its scans.
    static func scenarioScrape(_ label: String, faults: Bool = false) async throws -> Run {
        let dir = Fixture.temporaryDirectory(label)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ScriptedStore()
        try await store.start()
        defer { store.stop() }
        let scannerPort = dir + "/scanner", doorPort = dir + "/door"
        let scanner = try SimulatedReader(
            path: scannerPort,
            emulator: try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:]),
            scenario: try Scenario.parse(scans.enumerated().map { "\(0.5 + 0.1 * Double($0.offset)) scan \($0.element)" }
                .joined(separator: "\n") + "\n" + (faults ? Self.faults : "")))
        let door = try SimulatedReader(
            path: doorPort,
            emulator: try EmulatorFactory.make(protocolID: "em4100-ascii", settings: [:]),
            scenario: try Scenario.parse("0.5 enter 0100E2850E\n1.2 leave 0100E2850E\n"))
        let apiPort = Fixture.freePort()
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: metrics, dataDir: "\(dir)", devicesDir: "\(SinkConfigTests.devices)" }
            debounce: { departAfter: 1s }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(scannerPort)", readPoint: helpdesk }
              - { id: door, profile: id-innovations/id-12la, port: "\(doorPort)", readPoint: entrance }
            sinks:
              - id: itam
                webhook: { url: "\(store.url)" }
                batch: { maxEvents: 3, linger: 10ms }
            api: { listen: "127.0.0.1:\(apiPort)" }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let started = Date().timeIntervalSince1970
        let gateway = try GatewayRunner(["run", "--config", config], errorFile: dir + "/stderr.log")
        defer { gateway.stop() }
        #expect(await eventually { (try? await fetch("http://127.0.0.1:\(apiPort)/v1/events"))?.status == 200 }, "\(gateway.errors)")
        scanner.start()
        door.start()
        defer { scanner.stop(); door.stop() }
        let log = try EventLog.openExisting(directory: dir)
        // Five scans, then the card arrives and departs: 7 events, all delivered.
        let settled = try await eventually(attempts: 400) {
            let last = try log.lastSeq()
            let cursor = try log.cursor(sink: "itam")
            return last == 7 && cursor == last
        }
        #expect(settled, "\(gateway.errors)")
        var response = try await fetch("http://127.0.0.1:\(apiPort)/metrics")
        var scrape = try PrometheusScrape(parsing: response.body, scratch: dir)
        if faults {
            let reconnected = try await eventually(attempts: 400) {
                response = try await fetch("http://127.0.0.1:\(apiPort)/metrics")
                scrape = try PrometheusScrape(parsing: response.body, scratch: dir)
                return scrape.value("tagway_reader_reconnects_total", ["reader": "desk"]) == 1
            }
            #expect(reconnected, "\(gateway.errors)")
        }
        #expect(response.status == 200)
        return Run(scrape: scrape, contentType: response.headers["content-type"], events: try log.events(after: 0, limit: 1000),
                   delivered: store.storedIDs.count, started: started, finished: Date().timeIntervalSince1970)
    }

    @Test func theScrapeParsesAndAgreesWithTheLog() async throws {
        let run = try await Self.scenarioScrape("metrics-log")
        let m = run.scrape
        #expect(run.contentType == "text/plain; version=0.0.4; charset=utf-8")
        // Events by type: the engine's counter and the log's rows.
        var byType: [String: Int] = [:]
        for event in run.events { byType[event.type.rawValue, default: 0] += 1 }
        #expect(byType == ["observed": 5, "arrived": 1, "departed": 1], "\(byType)")
        for type in ["arrived", "moved", "departed", "passed", "observed", "alert"] {
            #expect(m.value("tagway_engine_events_total", ["type": type]) == Double(byType[type] ?? 0), "\(type)")
        }
        #expect(m.types["tagway_engine_events"] == "counter")
        // The log: last seq, events appended, and the commit histogram.
        let last = Double(run.events.last?.seq ?? -1)
        #expect(m.value("tagway_log_last_seq") == last)
        #expect(m.value("tagway_log_appended_events_total") == last)
        let commits = try #require(m.value("tagway_log_appends_total"))
        #expect(commits >= 1 && commits <= last + 10, "one transaction per batch, plus asset-row writes")
        #expect(m.value("tagway_log_append_duration_seconds_count") == commits)
        #expect(m.value("tagway_log_append_duration_seconds_bucket", ["le": "+Inf"]) == commits)
        #expect(m.types["tagway_log_append_duration_seconds"] == "histogram")
        #expect((m.value("tagway_log_database_size_bytes") ?? 0) > 4096)
        // The sink: every event delivered, nothing left, a batch timed, the last success stamped.
        #expect(run.delivered == run.events.count)
        #expect(m.value("tagway_sink_delivered_events_total", ["sink": "itam"]) == last)
        #expect(m.value("tagway_sink_backlog_events", ["sink": "itam"]) == 0)
        #expect(m.value("tagway_sink_failed_events_total", ["sink": "itam"]) == 0)
        #expect(m.value("tagway_sink_retries_total", ["sink": "itam"]) == 0)
        #expect((m.value("tagway_sink_batch_duration_seconds_count", ["sink": "itam"]) ?? 0) >= 3, "7 events in batches of 3 at most")
        let success = try #require(m.value("tagway_sink_last_success_timestamp_seconds", ["sink": "itam"]))
        #expect(success >= run.started.rounded(.down) && success <= run.finished + 1)
        // Readers: connected, the frames each sent, bytes for the serial ports.
        #expect(m.value("tagway_reader_connected", ["reader": "desk"]) == 1)
        #expect(m.value("tagway_reader_connected", ["reader": "door"]) == 1)
        #expect(m.value("tagway_reader_frames_total", ["reader": "desk"]) == Double(Self.scans.count))
        #expect(m.value("tagway_engine_scans_total") == Double(Self.scans.count))
        let doorFrames = try #require(m.value("tagway_reader_frames_total", ["reader": "door"]))
        #expect(doorFrames >= 1 && m.value("tagway_engine_reads_total") == doorFrames, "each EM4100 frame is one read")
        let scannedBytes = Self.scans.reduce(0) { $0 + $1.utf8.count }
        #expect((m.value("tagway_reader_bytes_total", ["reader": "desk"]) ?? 0) >= Double(scannedBytes))
        #expect(m.value("tagway_reader_reconnects_total", ["reader": "desk"]) == 0)
        #expect(m.value("tagway_engine_assets_tracked") != nil && m.value("tagway_debouncer_presences") != nil)
        // The process.
        #expect((m.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((m.value("process_open_fds") ?? 0) > 3)
        let start = try #require(m.value("process_start_time_seconds"))
        #expect(start >= run.started.rounded(.down) - 1 && start <= run.finished + 1)
        #expect(m.types["process_cpu_seconds"] == "counter")
        #expect(m.value("tagway_api_auth_failures_total", ["reason": "missing"]) == 0)
    }

    /// Every metric a panel of `dashboards/tagway.json` asks for is in a real scrape.
    @Test func theDashboardAsksOnlyForMetricsTheGatewayServes() async throws {
        let run = try await Self.scenarioScrape("metrics-dashboard", faults: true)
        #expect(run.scrape.value("tagway_reader_decode_drops_total", ["reader": "desk", "reason": "overlong"]) ?? 0 >= 1)
        #expect(run.scrape.sum("tagway_reader_errors_total", ["reader": "desk"]) >= 1, "the unplug is a port error")
        #expect(run.scrape.value("tagway_reader_frames_total", ["reader": "desk"]) == Double(Self.scans.count))
        let used = try DashboardExpressions(file: TestPaths.repositoryRoot + "/dashboards/tagway.json").metricNames
        #expect(used.count >= 20, "\(used.sorted())")
        let missing = used.subtracting(run.scrape.names)
        #expect(missing.isEmpty, "the dashboard uses metrics no scrape has: \(missing.sorted())")
    }
}

/// The metric names in a Grafana dashboard's PromQL expressions (panels and rows, nested).
struct DashboardExpressions {
    let expressions: [String]

    init(file: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file)))
        var found: [String] = []
        func walk(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                if let expr = dictionary["expr"] as? String { found.append(expr) }
                dictionary.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(object)
        expressions = found
    }

    /// Identifiers that name a Tagway or process metric (functions, labels and keywords do not
    /// start with these prefixes).
    var metricNames: Set<String> {
        var names = Set<String>()
        let pattern = try! NSRegularExpression(pattern: "\\b(tagway_[a-z0-9_]+|process_[a-z0-9_]+)")
        for expr in expressions {
            let range = NSRange(expr.startIndex..., in: expr)
            for match in pattern.matches(in: expr, range: range) {
                if let r = Range(match.range(at: 1), in: expr) { names.insert(String(expr[r])) }
            }
        }
        return names
    }
}
