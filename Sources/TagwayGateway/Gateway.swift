import Foundation
import Logging
import TagwayConfig
import TagwayEventLog
import TagwayAPI
import TagwayModel
import TagwayOutbox
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
    /// The pull API's tokens and public endpoints; `reloadAPIAccess` replaces them on SIGHUP.
    public let apiAccess: APIAccess
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp

    public init(config: GatewayConfig, logger: Logger, clock: @escaping @Sendable () -> Timestamp = SystemClock.now) throws {
        self.config = config
        self.logger = logger
        self.clock = clock
        apiAccess = APIAccess(try APIAccessPolicy.resolve(config.api))
        DescriptorLimit.raiseToHard(logger: logger)
        log = try EventLog(directory: config.dataDir, durability: config.durability, integrityBudget: config.startCheck)
        if case .stoppedAtBudget(let budget) = log.integrity {
            logger.warning("\(log.path): integrity check stopped after \(budget); the rest is checked as it is read")
        }
        let (health, writeHealth, stop) = (HealthBoard(), LogWriteHealth(), FatalStop())
        (self.health, self.writeHealth, fatalStop) = (health, writeHealth, stop)
        let points = config.readers.flatMap { reader in reader.allReadPoints.map { (point: $0, reader: reader.id) } }
        pipeline = Pipeline(gatewayID: config.gatewayID, readPoints: points, debounce: config.debounce,
                            movement: config.movement, companyPrefixes: config.companyPrefixes, log: log,
                            holding: HoldingPolicy(maxHeldEvents: config.maxHeldEvents, stopRetries: config.stopTimeout),
                            health: health, writeHealth: writeHealth, onFatal: { stop.report($0) },
                            stateInterval: config.stateInterval, logger: logger, clock: clock)
        let sinks = try SinkFactory.make(config.sinks, gatewayID: config.gatewayID, clock: clock)
        forwarder = try Forwarder(log: log, sinks: sinks, retention: config.retention, logger: logger, clock: clock)
    }

    /// Binds the pull API (when configured) within the descriptor budget. `tagway run` calls it
    /// before `run(api:)`, so a port that is taken fails the start rather than the API alone.
    public func listenAPI() async throws(APIServerError) -> APIListener? {
        guard let api = config.api else { return nil }
        let budget = DescriptorLimit.budget(readers: config.readers.count, logger: logger)
        return try await APIServer(log: log, host: api.host, port: api.port, logger: logger,
                                   maxStreams: api.maxStreams, maxConnections: budget.apiConnections,
                                   zones: ZoneDirectory(config.movement),
                                   audit: AuditEndpoint(settings: config.audit, gatewayID: config.gatewayID, clock: clock),
                                   options: APIOptions(api, access: apiAccess)).listen()
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
        await withTaskGroup(of: Void.self) { group in
            for reader in config.readers {
                switch reader.profile.transport {
                case .serial:
                    let session = SerialReaderSession(reader: reader, pipeline: pipeline, health: health,
                                                      logger: logger, clock: clock, arrivals: udev)
                    group.addTask { await session.run() }
                case .usbHID:
                    break  // started by USBReaders below, sharing one libusb context and udev monitor
                }
            }
            USBReaders.start(config: config, monitor: udev, pipeline: pipeline, health: health, logger: logger, clock: clock,
                             in: &group)
            group.addTask { [forwarder] in await forwarder.run() }
            if let api {
                group.addTask { [logger] in
                    do { try await api.serve() } catch { logger.error("pull API stopped: \(error)") }
                }
            }
            let status = statusFile
            group.addTask { await status.run() }
            group.addTask { [log, fatalStop] in await LogFileGuard(log: log, stop: fatalStop).run() }
            group.addTask { [fatalStop] in await fatalStop.wait() }
            var stopping = false
            while await group.next() != nil {
                if !stopping, let fault = fatalStop.fault {
                    stopping = true
                    logger.critical("stopping: \(fault)")
                    writeHealth.stopped(by: "\(fault)")
                    group.cancelAll()
                }
            }
        }
        udev?.stop()
        let notWritten = await pipeline.shutdown()
        statusFile.write()
        return GatewayOutcome(fault: fatalStop.fault, eventsNotWritten: notWritten)
    }

    /// Every read point a reader or a zone names: a restored asset anchored anywhere else departs.
    private var configuredReadPoints: Set<String> {
        Set(config.readers.flatMap(\.allReadPoints) + config.movement.zones.flatMap(\.allReadPoints))
    }

    private var statusFile: StatusFile {
        StatusFile(dataDir: config.dataDir, gatewayID: config.gatewayID, health: health, sinks: forwarder.board, log: log,
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
