import Foundation
import Logging
import Synchronization
import TagwayCapture
import TagwayConfig
import TagwayEventLog
import TagwayModel
import TagwaySessions

/// `tagway replay`: captures through the reader sessions' machines and the real pipeline into a
/// real event log, as fast as the machine allows, on the captures' clock.
///
/// The captures are merged by record time (records of equal time in the order the captures were
/// given, then in file order), one configured reader per captured reader id. Reader timers (a
/// HID scan's inter-key deadline, a conversation's) and the pipeline's departures fall due on
/// that clock between records. Nothing reads the wall clock but the summary's stopwatch, and the
/// event ids are seeded from the inputs: two runs print the same bytes.
public enum Replay {
    /// Replays `options.captures` against `config`; `onEvent` is called with each event as the
    /// log stored it (with its `seq`), in order, once the replay is done.
    public static func run(config: GatewayConfig, options: ReplayOptions, logger: Logger,
                           onEvent: (MovementEvent) -> Void) async throws(ReplayError) -> ReplaySummary {
        let watch = ContinuousClock.now
        var summary = ReplaySummary()
        summary.captures = options.captures.count
        var (sources, readers) = try openCaptures(options, config: config)
        let (log, temporary) = try openLog(options.logDirectory)
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        summary.logPath = log.path
        let idSeed = try seed(options)
        let clock = ReplayClock()
        let points = config.readers.flatMap { reader in reader.allReadPoints.map { (point: $0, reader: reader.id) } }
        let health = HealthBoard()
        let pipeline = Pipeline(gatewayID: config.gatewayID, readPoints: points, debounce: config.debounce,
                                movement: config.movement, companyPrefixes: config.companyPrefixes, log: log,
                                holding: HoldingPolicy(maxHeldEvents: config.maxHeldEvents, stopRetries: config.stopTimeout), health: health,
                                logger: logger, clock: { clock.now }, filters: config.filters, eventIDs: .seeded(idSeed))
        let pointOf = readers.map { reader in
            let config = reader.config
            return { @Sendable (antenna: Int?) in config.readPoint(antenna: antenna) }
        }

        func deliver(_ emissions: [ReplayReader.Emission], from index: Int) async {
            for (frames, time) in emissions {
                await pipeline.replay(reader: readers[index].config.id, readPoint: pointOf[index], frames: frames, time: time)
            }
        }
        /// Fires the readers' timers due by `time`, earliest first, across readers.
        func fireTimers(through time: Timestamp, only purposes: Set<TimerPurpose>? = nil) async {
            while true {
                var earliest: (index: Int, due: Timestamp)?
                for index in readers.indices {
                    guard let due = readers[index].nextTimer(only: purposes), due <= time else { continue }
                    if earliest.map({ due < $0.due }) ?? true { earliest = (index, due) }
                }
                guard let (index, due) = earliest else { return }
                clock.now = due
                await deliver(readers[index].fireTimer(through: due, only: purposes) ?? [], from: index)
            }
        }

        var stop: Timestamp?
        if case .time(let time) = options.until { stop = time }
        while let (sourceIndex, record) = try nextRecord(&sources) {
            if let stop, record.time > stop { break }
            summary.firstRecord = min(summary.firstRecord ?? record.time, record.time)
            summary.lastRecord = max(summary.lastRecord ?? record.time, record.time)
            await fireTimers(through: record.time)
            clock.now = record.time
            let index = sources[sourceIndex].reader
            await deliver(readers[index].take(record), from: index)
        }
        let last = summary.lastRecord ?? Timestamp(milliseconds: 0)
        switch options.until {
        case .end:
            await pipeline.replayAdvance(to: last)
            (summary.stoppedAt, summary.stopReason) = (last, "at the last record (--until end): tags still present stay present")
        case .time(let time):
            await fireTimers(through: time, only: [.scanDeadline])
            clock.now = max(time, last)
            await pipeline.replayAdvance(to: time)
            (summary.stoppedAt, summary.stopReason) = (time, "at --until \(time.iso8601)")
        case .drain:
            // A scan without its terminator ends at its inter-key deadline, as it would live.
            await fireTimers(through: Timestamp(milliseconds: .max), only: [.scanDeadline])
            let drained = await pipeline.replayDrain()
            summary.stoppedAt = max(drained ?? last, last)
            summary.stopReason = drained == nil
                ? "at the last record; no tag was left to depart"
                : "past the last record until every tag present departed (departAfter \(config.debounce.departAfter) after its last read; --until end stops at the last record)"
        }
        let unwritten = await pipeline.finishReplay()
        await pipeline.shutdown()
        if unwritten > 0 { throw .unwritten(unwritten) }
        summary.tally = readers.map(\.tally).reduce(ReplayTally(), +)
        for counts in health.filters.allCounts.values { summary.filtered.add(counts) }
        summary.wall = ContinuousClock.now - watch
        try readBack(log, into: &summary, onEvent: onEvent)
        return summary
    }

    /// One capture file being read, and the reader its records go to.
    struct Source {
        let file: CaptureFileReader
        let reader: Int
        var head: CaptureRecord?
    }

    /// Opens every capture, checks its header against the configuration, and reads its first record.
    static func openCaptures(_ options: ReplayOptions, config: GatewayConfig) throws(ReplayError) -> ([Source], [ReplayReader]) {
        var sources: [Source] = []
        var readers: [ReplayReader] = []
        var readerIndex: [String: Int] = [:]
        for path in options.captures {
            let file: CaptureFileReader
            let header: CaptureHeader
            do throws(CaptureError) {
                file = try CaptureFileReader(path: path)
                header = try file.readHeader()
            } catch {
                throw .capture(error)
            }
            let id = options.readerMap[header.reader] ?? header.reader
            guard let reader = config.readers.first(where: { $0.id == id }) else {
                throw .unknownReader(capture: path, reader: id, configured: config.readers.map(\.id))
            }
            guard reader.profile.protocolID == header.protocolID else {
                throw .protocolMismatch(capture: path, captured: header.reader, capturedProtocol: header.protocolID,
                                        reader: reader.id, configuredProtocol: reader.profile.protocolID)
            }
            if readerIndex[id] == nil {
                readerIndex[id] = readers.count
                readers.append(try ReplayReader(config: reader, capture: path))
            }
            do throws(CaptureError) {
                sources.append(Source(file: file, reader: readerIndex[id] ?? 0, head: try file.next()))
            } catch {
                throw .capture(error)
            }
        }
        return (sources, readers)
    }

    /// The earliest head record; ties go to the capture given first.
    static func nextRecord(_ sources: inout [Source]) throws(ReplayError) -> (Int, CaptureRecord)? {
        var best: Int?
        for index in sources.indices {
            guard let head = sources[index].head else { continue }
            if let current = best, let bestHead = sources[current].head, bestHead.time <= head.time { continue }
            best = index
        }
        guard let index = best, let record = sources[index].head else { return nil }
        do throws(CaptureError) {
            sources[index].head = try sources[index].file.next()
        } catch {
            throw .capture(error)
        }
        return (index, record)
    }

    /// The event ids' seed: the configuration's digest, the mapping, then every capture's bytes.
    static func seed(_ options: ReplayOptions) throws(ReplayError) -> UInt64 {
        var digest = CaptureFileReader.digestBasis
        withUnsafeBytes(of: options.configDigest.littleEndian) { CaptureFileReader.fnv1a($0, into: &digest) }
        for (captured, configured) in options.readerMap.sorted(by: { $0.key < $1.key }) {
            CaptureFileReader.fnv1a("\(captured)=\(configured)\n".utf8, into: &digest)
        }
        for path in options.captures {
            do throws(CaptureError) {
                try CaptureFileReader.contentDigest(path: path, into: &digest)
            } catch {
                throw .capture(error)
            }
        }
        return digest
    }

    /// The log the replay writes: `directory`, which must hold no events yet (they would mix
    /// with the replay's), or a temporary one. Durability `normal`: a replay is run again, not recovered.
    static func openLog(_ directory: String?) throws(ReplayError) -> (EventLog, temporary: String?) {
        let path = directory ?? (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("tagway-replay-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let log: EventLog
        let last: Int64
        do throws(EventLogError) {
            log = try EventLog(directory: path, durability: .normal)
            last = try log.lastSeq()
        } catch {
            throw .log(error)
        }
        if last > 0 { throw .logNotEmpty(path: log.path, events: last) }
        return (log, directory == nil ? path : nil)
    }

    static func readBack(_ log: EventLog, into summary: inout ReplaySummary, onEvent: (MovementEvent) -> Void) throws(ReplayError) {
        var after: Int64 = 0
        do throws(EventLogError) {
            while true {
                let page = try log.events(after: after, limit: 10_000)
                guard let last = page.last?.seq else { return }
                for event in page {
                    summary.eventsByType[event.type, default: 0] += 1
                    onEvent(event)
                }
                after = last
            }
        } catch {
            throw .log(error)
        }
    }
}

/// The capture's clock, as the pipeline reads it (only to stamp a write failure): set by the replay.
final class ReplayClock: Sendable {
    private let time = Mutex(Timestamp(milliseconds: 0))

    var now: Timestamp {
        get { time.withLock { $0 } }
        set { time.withLock { $0 = newValue } }
    }
}
