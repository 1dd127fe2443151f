import Logging
import TagwayDebounce
import TagwayEventLog
import TagwayIdentity
import TagwayModel

/// The gateway's single writer of state: reader frames in, movement events out to the log.
///
/// An actor, so readers on their own tasks hand frames over without locks, and the debouncer (a
/// pure value) is only ever touched here. Time comes from the reader sessions with each batch and
/// from the departure timer; the pipeline itself never reads a clock.
public actor Pipeline {
    private let gatewayID: String
    private let log: EventLog
    private let logger: Logger
    private var debouncer: Debouncer
    private var readPointIDs: [String]
    private var readPointIndex: [String: Int32]
    private var readerOfPoint: [Int32: String] = [:]
    private var technologyOfPoint: [Int32: TagObservation.Technology] = [:]
    private var sightings: [Sighting] = []
    private var unwritten: [MovementEvent] = []
    private var rng = SystemRandomNumberGenerator()
    private var timer: Task<Void, Never>?
    private var timerDeadline: Timestamp?
    private var writeBackoff = Backoff(initial: .milliseconds(200), maximum: .seconds(30))
    private var retryTask: Task<Void, Never>?
    private var writing = false
    private let now: @Sendable () -> Timestamp

    /// Events held in memory because the log refused them (disk full): shown in status.
    public var pendingWrites: Int { unwritten.count }

    /// `readPoints` lists every configured read point with the reader it belongs to.
    public init(gatewayID: String, readPoints: [(point: String, reader: String)], debounce: DebouncerConfiguration, log: EventLog,
                logger: Logger, clock: @escaping @Sendable () -> Timestamp) {
        self.gatewayID = gatewayID
        self.log = log
        self.logger = logger
        self.now = clock
        debouncer = Debouncer(configuration: debounce)
        readPointIDs = []
        readPointIndex = [:]
        for (point, reader) in readPoints where readPointIndex[point] == nil {
            readPointIndex[point] = Int32(readPointIDs.count)
            readerOfPoint[Int32(readPointIDs.count)] = reader
            readPointIDs.append(point)
        }
    }

    /// Takes the frames of one chunk from `reader`, all stamped `time`.
    public func ingest(reader: String, readPoint: @Sendable (Int?) -> String, frames: [ReaderFrame], time: Timestamp) async {
        for frame in frames {
            switch frame {
            case .tag(let observation):
                let point = index(of: readPoint(observation.antenna), reader: reader)
                technologyOfPoint[point] = observation.technology
                debouncer.ingest(Read(readPoint: point, tag: observation.id, time: time, rssi: observation.rssi), into: &sightings)
            case .barcode(let scan):
                let point = index(of: readPoint(nil), reader: reader)
                debouncer.ingestScan(readPoint: point, code: ScanCode.key(for: scan), time: time, into: &sightings)
            case .status:
                break
            }
        }
        await flush()
    }

    /// Reports departures that fell due by `time` (called by the timer and at shutdown).
    public func advance(to time: Timestamp) async {
        debouncer.advance(to: time, into: &sightings)
        await flush()
    }

    public var counters: DebouncerCounters { debouncer.counters }

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

    private func index(of point: String, reader: String) -> Int32 {
        if let index = readPointIndex[point] { return index }
        let index = Int32(readPointIDs.count)
        readPointIDs.append(point)
        readPointIndex[point] = index
        readerOfPoint[index] = reader
        return index
    }

    private func flush() async {
        if !sightings.isEmpty {
            for sighting in sightings { unwritten.append(event(for: sighting)) }
            sightings.removeAll(keepingCapacity: true)
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
        guard let deadline = debouncer.nextDeadline else { return }
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

    private func event(for sighting: Sighting) -> MovementEvent {
        let point = readPointIDs[Int(sighting.readPoint)]
        let reader = readerOfPoint[sighting.readPoint]
        switch sighting.kind {
        case .observed:
            let scan = ScanCode.scan(from: sighting.tag)
            return MovementEvent(id: EventID.make(time: sighting.time, using: &rng), type: .observed, time: sighting.time,
                                 gateway: gatewayID, asset: AssetKeyResolver.assetRef(for: scan), to: point,
                                 readPoint: point, reader: reader, reads: 1, symbology: scan.symbology)
        case .arrived, .departed:
            let technology = technologyOfPoint[sighting.readPoint] ?? .epcGen2
            let asset = AssetKeyResolver.assetRef(for: TagObservation(technology: technology, id: sighting.tag))
            let arrived = sighting.kind == .arrived
            return MovementEvent(id: EventID.make(time: sighting.time, using: &rng), type: arrived ? .arrived : .departed,
                                 time: sighting.time, gateway: gatewayID, asset: asset,
                                 from: arrived ? nil : point, to: arrived ? point : nil, readPoint: point, reader: reader,
                                 rssi: sighting.peakRSSI, reads: sighting.reads,
                                 reason: sighting.evicted ? "evicted: presence table full" : nil)
        }
    }
}
