import Foundation
import Logging
import TagwayAPI
import TagwayConfig
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks
import TagwayUSB

/// A running gateway: the event log, the pipeline, and one session per configured reader.
public final class Gateway: Sendable {
    public let config: GatewayConfig
    public let log: EventLog
    public let pipeline: Pipeline
    public let health: HealthBoard
    /// Held events, write errors and dropped reads of the log, for status.
    public let writeHealth: LogWriteHealth
    private let fatalStop: FatalStop
    /// Per-sink delivery (issue 6): one outbox worker per configured sink, and retention.
    public let forwarder: Forwarder
    /// Brings `/metrics` up to date when it is scraped (nil: the gateway was made without metrics).
    public let metricsCollector: GatewayMetricsCollector?
    private let metrics: GatewayMetrics?
    /// systemd's notify protocol (READY, STATUS, WATCHDOG, STOPPING); silent without NOTIFY_SOCKET.
    public let notifications: ServiceNotifications
    /// The pipeline's last proof of life, for the watchdog and `/readyz`.
    public let heartbeat: PipelineHeartbeat
    /// Rung by the boards status.json shows, so it is rewritten on change and not on a clock.
    let statusChanges = Wakeup()
    /// Settings a reload changed that need a restart (shown by `/readyz`).
    public let restartNotice = RestartNotice()
    let readerAbsence: ReaderAbsence
    /// The pull API's tokens and public endpoints; `reloadAPIAccess` replaces them on SIGHUP.
    public let apiAccess: APIAccess
    /// The zones `/v1/zones` lists and the audit's settings; `reloadZones` replaces them.
    let zoneDirectory: Reloadable<ZoneDirectory>
    let auditEndpoint: AuditEndpoint
    let logger: Logger
    /// The wall clock of `timers`, for timestamps.
    let clock: @Sendable () -> Timestamp
    /// The one clock the gateway was given: its shells' timers and bounded waits run on it.
    public let timers: GatewayClock
    /// The readers' capture recorders (`capture:`; none when nothing is captured).
    public let captures: CaptureRecorders
    /// When this gateway was made (its process start, near enough), for `GET /v1/status`.
    public let startedAt: Timestamp
    /// Where `/readyz` looks for brltty and ModemManager (/proc, udev's rules and data): `/`,
    /// or a fake tree in tests.
    let hostRoot: String
    /// Where status.json is written (the runtime directory when there is one), settled at start.
    public let statusLocation: StatusLocation

    /// `metrics` (from `tagway run`, or a test's own): the registry the gateway records into and
    /// serves at `GET /metrics`; nil records through whatever swift-metrics backend is bootstrapped.
    /// `commits` hears of every transaction of the log as well (the pipeline benchmark's batch sizes).
    public init(config: GatewayConfig, logger: Logger, clock: GatewayClock = .system,
                metrics: GatewayMetrics? = nil, notifications: ServiceNotifications = ServiceNotifications(),
                commits: CommitObserver? = nil, hostRoot: String = "/") throws {
        self.config = config
        self.hostRoot = hostRoot
        self.metrics = metrics
        self.logger = logger
        self.clock = clock.wall
        timers = clock
        startedAt = clock.wall()
        self.notifications = notifications
        heartbeat = PipelineHeartbeat(watchdog: notifications.watchdog, stateInterval: config.stateInterval)
        let readerAbsence = ReaderAbsence(readers: config.readers.map(\.id), start: ServiceClock.now())
        self.readerAbsence = readerAbsence
        apiAccess = APIAccess(try APIAccessPolicy.resolve(config.api))
        zoneDirectory = Reloadable(ZoneDirectory(config.movement))
        auditEndpoint = AuditEndpoint(settings: config.audit, gatewayID: config.gatewayID, clock: clock.wall)
        DescriptorLimit.raiseToHard(logger: logger)
        log = try EventLog(directory: config.dataDir, durability: config.durability, integrityBudget: config.startCheck,
                           commits: Self.observer(metrics?.commitObserver, commits))
        if case .stoppedAtBudget(let budget) = log.integrity {
            logger.warning("\(log.path): integrity check stopped after \(budget); the rest is checked as it is read")
        }
        // After the log: it made the data directory the link goes in.
        statusLocation = StatusPlacement.prepare(
            StatusLocation.resolve(dataDir: config.dataDir, configured: config.runtimeDir, environment: ProcessInfo.processInfo.environment),
            logger: logger)
        let (health, writeHealth, stop) = (HealthBoard(), metrics.map { LogWriteHealth(metrics: $0.factory) } ?? LogWriteHealth(), FatalStop())
        (self.health, self.writeHealth, fatalStop) = (health, writeHealth, stop)
        // A reader's grace counts from when it was lost, told by the board, not by a timer.
        health.onConnectionChange { reader, connected in _ = readerAbsence.observe(reader, connected: connected, now: ServiceClock.now()) }
        let points = config.readers.flatMap { reader in reader.allReadPoints.map { (point: $0, reader: reader.id) } }
        pipeline = Pipeline(gatewayID: config.gatewayID, readPoints: points, debounce: config.debounce,
                            movement: config.movement, companyPrefixes: config.companyPrefixes, log: log,
                            holding: HoldingPolicy(maxHeldEvents: config.maxHeldEvents, stopRetries: config.stopTimeout),
                            health: health, writeHealth: writeHealth, onFatal: { stop.report($0) },
                            stateInterval: config.stateInterval, logger: logger, clock: clock.wall, timers: clock,
                            filters: config.filters)
        let sinks = try SinkFactory.make(config.sinks, gatewayID: config.gatewayID, site: config.siteName, clock: clock.wall, timers: clock,
                                         record: Self.sinkEventRecorder(log: log, logger: logger),
                                         logID: log.identity)
        forwarder = try Forwarder(log: log, sinks: sinks, retention: config.retention, logger: logger,
                                  metrics: metrics.map { OutboxMetrics(factory: $0.factory) } ?? OutboxMetrics(), clock: clock)
        captures = try CaptureRecorders(config: config, health: health, logger: logger)
        for signal in [health.changes, writeHealth.changes, forwarder.board.changes] { signal.subscribe(statusChanges) }
        if let metrics {
            metricsCollector = GatewayMetricsCollector(registry: metrics.registry, health: health, pipeline: pipeline, log: log,
                                                       sinks: forwarder.board)
        } else {
            metricsCollector = nil
        }
    }

    /// Binds the pull API (when configured) within the descriptor budget. `tagway run` calls it
    /// before `run(api:)`, so a port that is taken fails the start rather than the API alone.
    /// `configEndpoint` serves `/v1/config` (the reloader of `tagway run` owns the file).
    public func listenAPI(configEndpoint: (any ConfigEndpoint)? = nil) async throws(APIServerError) -> APIListener? {
        guard let api = config.api else { return nil }
        let budget = DescriptorLimit.budget(readers: config.readers.count, logger: logger)
        return try await APIServer(log: log, host: api.host, port: api.port, logger: logger,
                                   maxStreams: api.maxStreams, maxConnections: budget.apiConnections,
                                   zones: zoneDirectory, audit: auditEndpoint,
                                   metrics: metricsEndpoint, readiness: self, options: APIOptions(api, access: apiAccess),
                                   status: self, tuning: GatewayTuning(pipeline: pipeline, log: log, clock: clock),
                                   config: configEndpoint).listen()
    }

    /// Runs every reader until the task is cancelled (SIGINT/SIGTERM in `tagway run`) or the
    /// log is lost (damaged, deleted, replaced), then writes what the pipeline still holds.
    /// `api` is the listener from `listenAPI()`.
    @discardableResult
    public func run(api: APIListener? = nil) async -> GatewayOutcome {
        logger.info("gateway \(config.gatewayID): \(config.readers.count) reader(s), event log \(log.path)")
        // The asset table goes back into the engine before any reader can make a read.
        do throws(EventLogError) {
            let snapshot = try log.assetStates()
            await pipeline.restore(snapshot, configuredReadPoints: configuredReadPoints, now: clock())
        } catch {
            logger.critical("cannot read the asset state of \(log.path): \(error)")
            writeHealth.stopped(by: "\(error)")
            return GatewayOutcome(fault: error, eventsNotWritten: 0)
        }
        let udev = USBReaders.monitor(logger: logger)
        // Outside the readers' group, so a stop does not cancel it with them: it finishes its
        // in-flight batches after the pipeline has written what it held (`finishDeliveries`).
        let forwarding = Task { [forwarder] in await forwarder.run() }
        // Another process may append to the log (tools, tests): its WAL changing is the ring the
        // outbox would otherwise have had to poll for. The gateway's own commits change the WAL
        // too (the outbox hears of those directly), so the watch wakes at most every 100 ms.
        let logDirectory = (log.path as NSString).deletingLastPathComponent
        let otherWrites = DirectoryChanges(logDirectory, mask: DirectoryChanges.writes, names: [(log.path as NSString).lastPathComponent + "-wal"],
                                           spacing: .milliseconds(100))
        await withTaskGroup(of: Void.self) { group in
            for reader in config.readers {
                switch reader.profile.transport {
                case .serial:
                    var session = SerialReaderSession(reader: reader, pipeline: pipeline, health: health,
                                                      logger: logger, clock: clock, arrivals: udev)
                    session.timers = timers
                    session.capture = captures.recorder(for: reader.id)
                    group.addTask { await session.run() }
                case .usbHID:
                    break  // started by USBReaders below, sharing one libusb context and udev monitor
                case .llrp:
                    guard var session = TCPReaderSession(reader: reader, pipeline: pipeline, health: health, logger: logger,
                                                         clock: timers) else { continue }
                    session.capture = captures.recorder(for: reader.id)
                    group.addTask { await session.run() }
                }
            }
            USBReaders.start(config: config, monitor: udev, pipeline: pipeline, health: health, logger: logger, clock: timers,
                             captures: captures, in: &group)
            if let api {
                group.addTask { [logger] in
                    do { try await api.serve() } catch { logger.error("pull API stopped: \(error)") }
                }
            }
            let status = statusFile
            group.addTask { [timers, statusChanges] in await status.run(changes: statusChanges, timers: timers) }
            group.addTask { await self.pulse() }
            group.addTask { [notifications, heartbeat, timers] in
                await notifications.run(status: { self.serviceStatus }, heartbeat: heartbeat, timers: timers)
            }
            notifyReady()
            group.addTask { [log, fatalStop, timers, logger] in
                await LogFileGuard(log: log, stop: fatalStop).run(timers: timers, logger: logger)
            }
            group.addTask { [fatalStop] in await fatalStop.wait() }
            group.addTask { [forwarder] in
                while await otherWrites?.wait() == true { forwarder.logChanged() }
            }
            var stopping = false
            while await group.next() != nil {
                if !stopping, let fault = fatalStop.fault {
                    stopping = true
                    logger.critical("stopping: \(fault)")
                    notifications.stopping()
                    writeHealth.stopped(by: "\(fault)")
                    group.cancelAll()
                }
            }
        }
        notifications.stopping()
        otherWrites?.cancel()
        udev?.stop()
        await captures.stop()
        let notWritten = await pipeline.shutdown()
        await finishDeliveries(forwarding)
        statusFile.write()
        return GatewayOutcome(fault: fatalStop.fault, eventsNotWritten: notWritten)
    }

    /// The metrics' observer and the caller's (`commits`: a benchmark's batch sizes), both told.
    private static func observer(_ first: CommitObserver?, _ second: CommitObserver?) -> CommitObserver? {
        guard let first, let second else { return first ?? second }
        return { first($0); second($0) }
    }

    /// What `GET /metrics` serves (nil when the gateway was made without metrics).
    public var metricsEndpoint: MetricsEndpoint? {
        guard let metrics, let collector = metricsCollector else { return nil }
        return MetricsEndpoint(registry: metrics.registry) { await collector.collect() }
    }

    /// Lets batches being delivered (and those the stop's last writes start) finish, for at most
    /// `gateway.stopTimeout`, then stops the forwarder: what is left stays in the log behind each
    /// sink's cursor and goes at the next start.
    private func finishDeliveries(_ forwarding: Task<Void, Never>) async {
        let (board, bound, timers) = (forwarder.board, config.stopTimeout, timers)
        // Not cancelled with the caller (a stop is a cancelled task): its pauses must really pause.
        await Task {
            let watch = timers.stopwatch()
            while watch.elapsed() < bound, board.snapshot.contains(where: { $0.state == .delivering }) {
                _ = await timers.sleep(for: .milliseconds(20))
            }
        }.value
        forwarding.cancel()
        await forwarding.value
    }

    /// Asks the pipeline for a proof of life (see `Pipeline.pulse()`) at start, then every
    /// `pulseInterval` when systemd's watchdog is on, else whenever a readiness probe asks, until
    /// cancelled; a pipeline that does not answer leaves its question pending to age.
    private func pulse() async {
        while !Task.isCancelled {
            heartbeat.asked(at: ServiceClock.now())
            heartbeat.answered(alive: await pipeline.pulse(), at: ServiceClock.now())
            if let interval = heartbeat.pulseInterval {
                _ = await timers.sleep(for: interval)
            } else {
                await heartbeat.waitForRequest()
            }
        }
    }

    /// Tells systemd the gateway is ready, once at start.
    func notifyReady() { notifications.ready(status: serviceStatus) }

    /// Tells systemd a reload (begun with `notifications.reloading()`) is over.
    public func notifyReloaded() { notifications.reloaded(status: serviceStatus) }

    /// systemd's `STATUS=` line: what `systemctl status tagway` shows.
    var serviceStatus: String {
        let readers = health.snapshot
        let connected = readers.filter(\.connected).count
        let backlog = forwarder.board.snapshot.map(\.backlog).max() ?? 0
        return "\(config.readers.count) readers (\(connected) connected), backlog \(backlog), last seq \(log.lastCommittedSeq)"
    }

    /// Every read point a reader or a zone names: a restored asset anchored anywhere else departs.
    private var configuredReadPoints: Set<String> {
        Set(config.readers.flatMap(\.allReadPoints) + config.movement.zones.flatMap(\.allReadPoints))
    }

    var statusFile: StatusFile {
        StatusFile(location: statusLocation, gatewayID: config.gatewayID, health: health, sinks: forwarder.board, log: log,
                   writeHealth: writeHealth, logger: logger, clock: clock)
    }
}

/// How a gateway's run ended: cleanly, or with the log lost or events not written (both make
/// `tagway run` exit non-zero, so a supervisor restarts it and the operator sees it).
public struct GatewayOutcome: Sendable {
    public var fault: EventLogError?
    public var eventsNotWritten: Int

    public var isClean: Bool { fault == nil && eventsNotWritten == 0 }
}
