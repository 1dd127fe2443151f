import Logging
import TagwayDebounce
import TagwayEventLog
import TagwayFilters
import TagwayIdentity
import TagwayModel
import TagwayRuntime
import TagwayZones

/// The gateway's single writer of state: reader frames in, movement events out to the log.
///
/// An actor, so readers on their own tasks hand frames over without locks, and the movement
/// engine (a pure value owning the debouncer) is only ever touched here. Time comes from the
/// reader sessions with each batch and from the departure timer; the pipeline itself never reads
/// a clock. Zones, rules and tuning can be swapped while it runs (`reconfigure`).
///
/// When the log refuses events (a full disk), they are held in order and retried; once
/// `holding.maxHeldEvents` are held, new reads are dropped before they become events and counted
/// per reader (back-pressure: reads may be lost under a fault, committed movements never are).
/// A fatal log error (the file damaged, deleted or replaced) is reported through `onFatal`.
public actor Pipeline {
    private let gatewayID: String
    let log: EventLog
    let logger: Logger
    var engine: MovementEngine
    var zoneEvents: [ZoneEvent] = []
    var unwritten: [MovementEvent] = []
    private var rng: EventIDSource
    private var timer: Task<Void, Never>?
    private var timerDeadline: Timestamp?
    private var writeBackoff = Backoff(initial: .milliseconds(200), maximum: .seconds(30))
    var retryTask: Task<Void, Never>?
    var writing = false
    /// A writer task is made and has not started writing yet (see `writeBehind`).
    var writerScheduled = false
    /// Reader sessions waiting for the write-behind to catch up (see `submit`).
    var writeWaiters: [CheckedContinuation<Void, Never>] = []
    /// Appends the log accepted, and what the previous pulse saw: a write in progress at two
    /// pulses with no append finished between them is a stuck write (see `pulse()`).
    private var appendsDone = 0
    private var atPulse = (appends: 0, writing: false)
    var stopping = false
    var fatal: EventLogError?
    private var droppedInEpisode = 0
    let holding: HoldingPolicy
    /// What the pipeline's waits (write retries, movement deadlines, the stop's drain) sleep on.
    let timers: GatewayClock
    let health: HealthBoard
    private let writeHealth: LogWriteHealth
    private let onFatal: @Sendable (EventLogError) -> Void
    let now: @Sendable () -> Timestamp
    /// Company prefixes from the configuration, plus every one learnt from a GS1 EPC read: a GS1
    /// barcode resolves to the same key as its tag only when its company prefix length is known.
    var companyPrefixes: GS1CompanyPrefixLengths
    /// Assets named by events not yet written, with the identity their newest event carries: their
    /// rows go in the same transaction as those events (see `stateChanges(for:)`).
    var dirty: [TagID: AssetIdentity] = [:]
    /// Assets restored at the start and not departed since, as their rows name them.
    var restoredIdentity: [TagID: AssetIdentity] = [:]
    /// Assets read after this have rows older than the engine (the periodic state write's mark).
    var stateWrittenThrough = Timestamp(milliseconds: .min)
    /// The tags whose rows the state write's round still owes (written in chunks by `write()`).
    var owedRows = OwedAssetRows()
    var stateTimer: Task<Void, Never>?
    /// Set by a reload: every row is rewritten from the engine by the next state write.
    var rowsNeedRewrite = false
    let stateInterval: Duration
    /// Tag filters and reference tags, judged before the engine (see `Pipeline+Filters`).
    var filterBank = TagFilterBank()

    /// Events held in memory because the log refused them (disk full): shown in status.
    public var pendingWrites: Int { unwritten.count }

    /// `readPoints` lists every configured read point with the reader it belongs to; `movement`
    /// places them in zones (a read point no zone lists is a zone of its own). `eventIDs` is
    /// seeded only by `tagway replay`, whose output must not change from one run to the next.
    public init(gatewayID: String, readPoints: [(point: String, reader: String)], debounce: DebouncerConfiguration,
                movement: MovementConfiguration = MovementConfiguration(), companyPrefixes: [String] = [], log: EventLog,
                holding: HoldingPolicy = HoldingPolicy(), health: HealthBoard = HealthBoard(),
                writeHealth: LogWriteHealth = LogWriteHealth(), onFatal: @escaping @Sendable (EventLogError) -> Void = { _ in },
                stateInterval: Duration = .seconds(1), logger: Logger, clock: @escaping @Sendable () -> Timestamp,
                timers: GatewayClock = .system, filters: FilterConfiguration = FilterConfiguration(),
                eventIDs: EventIDSource = .system) {
        self.timers = timers
        rng = eventIDs
        self.stateInterval = stateInterval
        self.holding = holding
        self.health = health
        self.writeHealth = writeHealth
        self.onFatal = onFatal
        self.companyPrefixes = GS1CompanyPrefixLengths(companyPrefixes: companyPrefixes)
        self.gatewayID = gatewayID
        self.log = log
        self.logger = logger
        self.now = clock
        engine = MovementEngine(configuration: movement, debounce: debounce)
        for (point, reader) in readPoints {
            _ = engine.readPoint(named: point)
            _ = engine.reader(named: reader)
        }
        filterBank = Self.filterBank(filters, engine: &engine, at: clock(), previous: nil)
        health.filters.publish(filterBank.referenceStates)
    }

    /// Takes the frames of one chunk from `reader`, stamped `time` unless a tag says when the
    /// reader saw it (`seenAt`, LLRP's timestamps on the gateway's clock).
    ///
    /// Reads of one batch need not be in time order, nor in order with other readers' batches
    /// (a reader reports every few hundred ms; two readers' clocks differ): the movement engine
    /// assumes nothing about order, because its clock never runs backwards. A read stamped before
    /// the latest time it has seen is taken as happening then, and counted (`lateReads`).
    public func ingest(reader: String, readPoint: @Sendable (Int?) -> String, frames: [ReaderFrame], time: Timestamp) async {
        guard take(reader: reader, readPoint: readPoint, frames: frames, time: time) else { return }
        await flush()
        scheduleStateWrite()
    }

    /// The engine's part of taking a batch; false when the reads were dropped (back-pressure).
    func take(reader: String, readPoint: (Int?) -> String, frames: [ReaderFrame], time: Timestamp) -> Bool {
        guard unwritten.count < holding.maxHeldEvents, fatal == nil else {
            drop(frames, from: reader)
            return false
        }
        let readerIndex = engine.reader(named: reader)
        let filtering = filterBank.isActive
        defer { if filtering { publishFilterFigures(reader: reader) } }
        func read(_ observation: TagObservation) -> Read {
            Read(readPoint: engine.readPoint(named: readPoint(observation.antenna)), tag: observation.id,
                 time: observation.seenAt ?? time, rssi: observation.rssi, reader: readerIndex, technology: observation.technology)
        }
        // On a large site the engine loads the state of a report's next reads while it takes
        // this one (`MovementEngine.prefetch`): they are built first, once each.
        let upcoming: [Read?]? = engine.prefetchPays && frames.count > 1 ? frames.map {
            if case .tag(let observation) = $0 { read(observation) } else { nil }
        } : nil
        for (i, frame) in frames.enumerated() {
            switch frame {
            case .tag(let observation):
                if let upcoming {
                    for ahead in 1...MovementEngine.prefetchDistance where i + ahead < upcoming.count {
                        if let next = upcoming[i + ahead] { engine.prefetch(next, readsAhead: ahead) }
                    }
                }
                let read = upcoming?[i] ?? read(observation)
                if filtering, filterBank.judge(observation, reader: readerIndex, readPoint: read.readPoint, time: read.time) != .pass {
                    continue
                }
                let technology = observation.technology
                var learnt: String?
                engine.ingest(read, into: &zoneEvents) {
                    let asset = AssetKeyResolver.assetRef(for: TagObservation(technology: technology, id: $0))
                    learnt = GS1CompanyPrefix.of(epcURI: asset.key)
                    return asset
                }
                if let learnt { companyPrefixes.insert(companyPrefix: learnt) }
            case .barcode(let scan):
                let point = engine.readPoint(named: readPoint(nil))
                let prefixes = companyPrefixes
                if filtering, filterBank.judgeScan(reader: readerIndex, readPoint: point,
                                                   asset: { AssetKeyResolver.assetRef(for: scan, companyPrefixes: prefixes) }) != .pass {
                    continue
                }
                engine.ingestScan(readPoint: point, code: ScanCode.key(for: scan), time: time, reader: readerIndex, into: &zoneEvents) {
                    AssetKeyResolver.assetRef(for: ScanCode.scan(from: $0), companyPrefixes: prefixes)
                }
            case .status:
                break
            }
        }
        return true
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
        // Zones (and episodes) changed with no event: the next state write rewrites every row.
        rowsNeedRewrite = true
        scheduleStateWrite()
    }

    /// Stops the departure timer and writes what is still held, trying for at most
    /// `holding.stopRetries` (a full disk must not hold the stop past systemd's timeout, after
    /// which a SIGKILL would lose the same events without a word). Returns how many events were
    /// not written, and logs it.
    @discardableResult
    public func shutdown() async -> Int {
        timer?.cancel()
        stateTimer?.cancel()
        retryTask?.cancel()
        retryTask = nil
        stopping = true
        // Not cancelled with the caller (a stop is a cancelled task): its pauses must really pause.
        await Task { await self.drainForStop() }.value
        if !unwritten.isEmpty {
            logger.critical("stopping with \(unwritten.count) events that could not be written to the log",
                            metadata: ["error": "\(fatal.map { "\($0)" } ?? writeHealth.snapshot.lastError ?? "-")"])
        }
        return unwritten.count
    }

    private func drainForStop() async {
        // Real elapsed time, like the pauses: what must stay bounded is the wait systemd sees.
        let watch = timers.stopwatch()
        while fatal == nil, writing || !unwritten.isEmpty, watch.elapsed() < holding.stopRetries {
            if !writing { await write() }
            if writing || !unwritten.isEmpty { _ = await timers.sleep(for: writing ? .milliseconds(10) : .milliseconds(200)) }
        }
        // Then the exact last-read times of assets read since the last state write.
        await flushState()
    }

    /// The heartbeat's question, asked by the gateway's pulse loop once per interval (never per
    /// read): true when the actor answers and its log writes move. A pipeline that cannot run
    /// never answers; one whose append has not returned since the previous pulse answers false.
    public func pulse() -> Bool {
        let stuck = writing && atPulse.writing && appendsDone == atPulse.appends
        atPulse = (appendsDone, writing)
        return fatal == nil && !stuck
    }

    // MARK: internals

    func flush() async {
        if nameEvents() { await write() }
        scheduleTimer()
    }

    /// Names the engine's new events into `unwritten`, with the rows they change; true when there were any.
    func nameEvents() -> Bool {
        if !zoneEvents.isEmpty {
            var departedRestored: [TagID] = []
            do {
                let naming = ZoneEventNaming(engine: engine, gatewayID: gatewayID, companyPrefixes: companyPrefixes,
                                             restored: restoredIdentity)
                for event in zoneEvents {
                    let named = naming.event(for: event, using: &rng)
                    unwritten.append(named)
                    if noteState(of: event, named: named) { departedRestored.append(event.tag) }
                }
            }
            // After the naming (which shares the dictionary) is gone: no copy of a large table.
            for tag in departedRestored { restoredIdentity[tag] = nil }
            zoneEvents.removeAll(keepingCapacity: true)
            if writeBackoff.attempt > 0 { writeHealth.held(unwritten.count) }
            return true
        }
        return false
    }

    /// Writes held events in order. The actor is re-entered while an append is awaited, so a
    /// `writing` flag keeps a second caller from appending the same events again; it returns,
    /// and the writer loops to pick up what arrived meanwhile.
    func write() async {
        guard !writing, retryTask == nil, fatal == nil else { return }
        writing = true
        defer {
            writing = false
            releaseWriteWaiters()
        }
        while !unwritten.isEmpty || !owedRows.isEmpty {
            // The rows are built from the engine as it is now, which is the state these events
            // leave (no event is made between here and the cut above); newer events go next time.
            let batch = unwritten
            let cut = dirty
            dirty = [:]
            var changes = stateChanges(for: cut)
            changes.touches = owedTouches(batch.isEmpty ? owedRows.aloneLimit : OwedAssetRows.withEvents, skipping: cut)
            if batch.isEmpty, changes.isEmpty {
                // Nothing of the chunk is tracked any more (their removals were written with
                // their departures): it is done all the same.
                if let mark = owedRows.completed() { stateWrittenThrough = mark }
                continue
            }
            do {
                _ = try await log.append(batch, state: changes)
                appendsDone &+= 1
                unwritten.removeFirst(batch.count)
                if let mark = owedRows.completed() { stateWrittenThrough = mark }
                releaseWriteWaiters()
                if writeBackoff.attempt > 0 { writesRecovered() }
            } catch {
                owedRows.abandon()
                // Rows alone: no event is held; the next round owes them again.
                if batch.isEmpty {
                    logger.warning("asset state write failed; retrying with the next write", metadata: ["error": "\(error)"])
                    return
                }
                // Kept: the retry builds them again from the engine, with whatever came since.
                dirty.merge(cut) { newer, _ in newer }
                writeFailed(error)
                return
            }
        }
    }

    /// Keeps the events, in order, and tries again: a full disk or a locked file is not a reason
    /// to lose a movement. A fatal error stops the gateway instead: no retry can succeed.
    private func writeFailed(_ error: EventLogError) {
        writeHealth.writeFailed("\(error)", held: unwritten.count, at: now())
        if error.isFatal {
            fatal = error
            writeHealth.stopped(by: "\(error)")
            logger.critical("\(error)", metadata: ["held": "\(unwritten.count)"])
            onFatal(error)
            return
        }
        let delay = writeBackoff.next(using: &rng)
        if stopping { return }
        logger.error("event log write failed; \(unwritten.count) events held, retrying in \(delay)",
                     metadata: ["error": "\(error)"])
        retryTask = Task { [weak self, timers] in
            _ = await timers.sleep(for: delay)
            await self?.retryWrite()
        }
    }

    private func writesRecovered() {
        let since = writeHealth.snapshot.failingSince.map { " (failing since \($0.iso8601))" } ?? ""
        let dropped = droppedInEpisode > 0 ? "; \(droppedInEpisode) reads were dropped meanwhile" : ""
        logger.notice("event log writable again\(since): held events written\(dropped)")
        writeBackoff.reset()
        droppedInEpisode = 0
        writeHealth.writesRecovered()
    }

    /// Back-pressure: the reads of `frames` are not turned into events, and are counted.
    private func drop(_ frames: [ReaderFrame], from reader: String) {
        var reads = 0
        for frame in frames {
            if case .status = frame { continue }
            reads += 1
        }
        guard reads > 0 else { return }
        if droppedInEpisode == 0, fatal != nil {
            logger.error("the event log is lost: dropping reads until the gateway stops", metadata: ["reader": "\(reader)"])
        } else if droppedInEpisode == 0 {
            logger.error("\(unwritten.count) events held (the bound is \(holding.maxHeldEvents)) and the log takes none: dropping reads until it does",
                         metadata: ["reader": "\(reader)"])
        }
        droppedInEpisode += reads
        writeHealth.readsDropped(reads, reader: reader)
        health.update(reader) { $0.droppedReads += reads }
    }

    private func retryWrite() async {
        retryTask = nil
        await write()
    }

    func scheduleTimer() {
        guard let deadline = engine.nextDeadline else { return }
        if let current = timerDeadline, current <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let clock = now
        timer = Task { [weak self, timers] in
            let wait = deadline.milliseconds - clock().milliseconds
            if wait > 0 { _ = await timers.sleep(for: .milliseconds(wait)) }
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
