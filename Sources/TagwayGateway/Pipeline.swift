import Logging
import TagwayDebounce
import TagwayEventLog
import TagwayIdentity
import TagwayModel
import TagwayZones

/// The gateway's single writer of state: reader frames in, movement events out to the log.
///
/// An actor, so readers on their own tasks hand frames over without locks, and the movement
/// engine (a pure value owning the debouncer) is only ever touched here. Time comes from the
/// reader sessions with each batch and from the departure timer; the pipeline itself never reads
/// a clock. Zones, rules and tuning can be swapped while it runs (`reconfigure`).
public actor Pipeline {
    private let gatewayID: String
    private let log: EventLog
    private let logger: Logger
    private var engine: MovementEngine
    private var readerOfPoint: [Int32: String] = [:]
    private var technologyOfPoint: [Int32: TagObservation.Technology] = [:]
    private var zoneEvents: [ZoneEvent] = []
    private var unwritten: [MovementEvent] = []
    private var rng = SystemRandomNumberGenerator()
    private var timer: Task<Void, Never>?
    private var timerDeadline: Timestamp?
    private var writeBackoff = Backoff(initial: .milliseconds(200), maximum: .seconds(30))
    private var retryTask: Task<Void, Never>?
    private var writing = false
    private let now: @Sendable () -> Timestamp
    /// Company prefixes from the configuration, plus every one learnt from a GS1 EPC read: a GS1
    /// barcode resolves to the same key as its tag only when its company prefix length is known.
    private var companyPrefixes: GS1CompanyPrefixLengths

    /// Events held in memory because the log refused them (disk full): shown in status.
    public var pendingWrites: Int { unwritten.count }

    /// `readPoints` lists every configured read point with the reader it belongs to; `movement`
    /// places them in zones (a read point no zone lists is a zone of its own).
    public init(gatewayID: String, readPoints: [(point: String, reader: String)], debounce: DebouncerConfiguration,
                movement: MovementConfiguration = MovementConfiguration(), companyPrefixes: [String] = [], log: EventLog,
                logger: Logger, clock: @escaping @Sendable () -> Timestamp) {
        self.companyPrefixes = GS1CompanyPrefixLengths(companyPrefixes: companyPrefixes)
        self.gatewayID = gatewayID
        self.log = log
        self.logger = logger
        self.now = clock
        engine = MovementEngine(configuration: movement, debounce: debounce)
        for (point, reader) in readPoints {
            let index = engine.readPoint(named: point)
            if readerOfPoint[index] == nil { readerOfPoint[index] = reader }
        }
    }

    /// Takes the frames of one chunk from `reader`, all stamped `time`.
    public func ingest(reader: String, readPoint: @Sendable (Int?) -> String, frames: [ReaderFrame], time: Timestamp) async {
        for frame in frames {
            switch frame {
            case .tag(let observation):
                let point = index(of: readPoint(observation.antenna), reader: reader)
                technologyOfPoint[point] = observation.technology
                let technology = observation.technology
                var learnt: String?
                engine.ingest(Read(readPoint: point, tag: observation.id, time: time, rssi: observation.rssi), into: &zoneEvents) {
                    let asset = AssetKeyResolver.assetRef(for: TagObservation(technology: technology, id: $0))
                    learnt = Self.companyPrefix(of: asset)
                    return asset
                }
                if let learnt { companyPrefixes.insert(companyPrefix: learnt) }
            case .barcode(let scan):
                let point = index(of: readPoint(nil), reader: reader)
                let prefixes = companyPrefixes
                engine.ingestScan(readPoint: point, code: ScanCode.key(for: scan), time: time, into: &zoneEvents) {
                    AssetKeyResolver.assetRef(for: ScanCode.scan(from: $0), companyPrefixes: prefixes)
                }
            case .status:
                break
            }
        }
        await flush()
    }

    /// Reports departures that fell due by `time` (called by the timer and at shutdown).
    public func advance(to time: Timestamp) async {
        engine.advance(to: time, into: &zoneEvents)
        await flush()
    }

    public var counters: DebouncerCounters { engine.debouncer.counters }
    public var movementCounters: MovementCounters { engine.counters }

    /// Swaps zones, rules and tuning, keeping every tag's state (see `MovementEngine.reconfigure`).
    public func reconfigure(_ movement: MovementConfiguration) {
        engine.reconfigure(movement)
    }

    /// Stops the departure timer and writes what is still held.
    public func shutdown() async {
        timer?.cancel()
        retryTask?.cancel()
        retryTask = nil
        // Drain: wait out an append in flight, then write what is left (bounded, so a log that
        // cannot be written does not hang the stop; the log line says what was not written).
        for _ in 0..<500 where writing || !unwritten.isEmpty {
            if writing { try? await Task.sleep(for: .milliseconds(10)) } else { await write(); retryTask?.cancel(); retryTask = nil }
        }
        if !unwritten.isEmpty { logger.critical("stopping with \(unwritten.count) events that could not be written to the log") }
    }

    // MARK: internals

    /// The GS1 Company Prefix in an EPC pure-identity URI (`urn:epc:id:giai:0614141.12345` →
    /// `0614141`); nil for keys that carry none (raw EPCs, GID, EM4100, NFC, barcodes).
    static func companyPrefix(of asset: AssetRef) -> String? {
        guard asset.key.hasPrefix("urn:epc:id:"), asset.scheme != "gid" else { return nil }
        let value = asset.key.dropFirst("urn:epc:id:".count).drop { $0 != ":" }.dropFirst()
        let prefix = value.prefix { $0 != "." }
        return prefix.count >= 6 && prefix.allSatisfy(\.isNumber) ? String(prefix) : nil
    }

    private func index(of point: String, reader: String) -> Int32 {
        let index = engine.readPoint(named: point)
        if readerOfPoint[index] == nil { readerOfPoint[index] = reader }
        return index
    }

    private func flush() async {
        if !zoneEvents.isEmpty {
            let naming = ZoneEventNaming(engine: engine, gatewayID: gatewayID, readerOfPoint: readerOfPoint,
                                         technologyOfPoint: technologyOfPoint, companyPrefixes: companyPrefixes)
            for event in zoneEvents { unwritten.append(naming.event(for: event, using: &rng)) }
            zoneEvents.removeAll(keepingCapacity: true)
            await write()
        }
        scheduleTimer()
    }

    /// Writes held events in order. The actor is re-entered while an append is awaited, so a
    /// `writing` flag keeps a second caller from appending the same events again; it returns,
    /// and the writer loops to pick up what arrived meanwhile.
    private func write() async {
        guard !writing, retryTask == nil else { return }
        writing = true
        defer { writing = false }
        while !unwritten.isEmpty {
            let batch = unwritten
            do {
                _ = try await log.append(batch)
                unwritten.removeFirst(batch.count)
                writeBackoff.reset()
            } catch {
                // Keep the events, in order, and try again: a full disk or a locked file is not a
                // reason to lose a movement.
                let delay = writeBackoff.next(using: &rng)
                logger.error("event log write failed; \(unwritten.count) events held, retrying in \(delay)",
                             metadata: ["error": "\(error)"])
                retryTask = Task { [weak self] in
                    try? await Task.sleep(for: delay)
                    await self?.retryWrite()
                }
                return
            }
        }
    }

    private func retryWrite() async {
        retryTask = nil
        await write()
    }

    private func scheduleTimer() {
        guard let deadline = engine.nextDeadline else { return }
        if let current = timerDeadline, current <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let clock = now
        timer = Task { [weak self] in
            let wait = deadline.milliseconds - clock().milliseconds
            if wait > 0 { try? await Task.sleep(for: .milliseconds(wait)) }
            guard !Task.isCancelled else { return }
            await self?.timerFired()
        }
    }

    private func timerFired() async {
        timer = nil
        timerDeadline = nil
        await advance(to: now())
    }
}
