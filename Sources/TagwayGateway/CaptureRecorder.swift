import Foundation
import Logging
import Synchronization
import TagwayCapture
import TagwayModel

/// Records one reader's connection to its capture files, on a thread of its own.
///
/// Sessions call `record` on their reading path; it takes a lock held for an append, never waits
/// for the disk, and drops (counting) what does not fit `CaptureBacklog`'s bound. The writer
/// thread takes everything queued at once, encodes it and writes it through `CaptureFiles`,
/// rotating as `CaptureRotation` says. A write that fails drops its records (counted) and the
/// next starts a new file, so a full disk costs records, never reads, and recording resumes by
/// itself when there is room again.
public final class CaptureRecorder: CaptureRecording, Sendable {
    public struct Statistics: Hashable, Sendable {
        public var written = 0
        public var dropped = 0
        public var files = 0
        public var lastError: String?
    }

    private struct Queue {
        var records: [CaptureRecord] = []
        var backlog: CaptureBacklog
        var statistics = Statistics()
        var writerWaiting = false
        var stopping = false
        /// The drop total the status was last told.
        var reportedDrops = 0
    }

    public let header: CaptureHeader
    private let queue: Mutex<Queue>
    private let files: any CaptureFiles
    private let limits: CaptureRotation.Limits
    private let logger: Logger
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Told the total of dropped records when an episode starts, then after each batch written
    /// while it grew (reader status and metrics).
    private let onDrops: @Sendable (Int) -> Void

    public init(header: CaptureHeader, files: any CaptureFiles, limits: CaptureRotation.Limits, maxBufferBytes: Int, logger: Logger,
                onDrops: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.header = header
        self.files = files
        self.limits = limits
        self.logger = logger
        self.onDrops = onDrops
        queue = Mutex(Queue(backlog: CaptureBacklog(capacity: maxBufferBytes)))
        let thread = Thread { [self] in writeUntilStopped() }
        thread.name = "tagway-capture \(header.reader)"
        thread.start()
    }

    public var statistics: Statistics { queue.withLock { $0.statistics } }

    public func record(_ record: CaptureRecord) {
        let cost = CaptureBacklog.cost(payloadBytes: record.payload.count)
        let (offer, wakeWriter, dropped) = queue.withLock { q -> (CaptureBacklog.Offer, Bool, Int) in
            guard !q.stopping else { return (.dropped(startsEpisode: false), false, 0) }
            let offer = q.backlog.offer(bytes: cost)
            guard offer == .accepted else {
                q.statistics.dropped = q.backlog.dropped
                if case .dropped(startsEpisode: true) = offer { q.reportedDrops = q.backlog.dropped }
                return (offer, false, q.backlog.dropped)
            }
            q.records.append(record)
            defer { q.writerWaiting = false }
            return (offer, q.writerWaiting, 0)
        }
        if wakeWriter { wake.signal() }
        if case .dropped(startsEpisode: true) = offer {
            logger.warning("reader \(header.reader): capture is behind (the disk is slow or full); dropping records until it catches up")
            onDrops(dropped)
        }
    }

    /// Writes what is queued, closes the file and ends the writer thread. Records offered after
    /// are not kept.
    public func stop() async {
        let wakeWriter = queue.withLock { q -> Bool in
            q.stopping = true
            defer { q.writerWaiting = false }
            return q.writerWaiting
        }
        if wakeWriter { wake.signal() }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [finished] in
                finished.wait()
                finished.signal()
                done.resume()
            }
        }
    }

    // MARK: the writer thread

    private func writeUntilStopped() {
        let prefix = CaptureRotation.filePrefix(reader: header.reader)
        var rotation = CaptureRotation(reader: header.reader, limits: limits, existing: files.names(startingWith: prefix))
        let headerBytes = CaptureFormat.headerText(withStart(Timestamp(milliseconds: 0))).utf8.count
        var buffer: [UInt8] = []
        while true {
            let (batch, stopping) = queue.withLock { q -> ([CaptureRecord], Bool) in
                let batch = q.records
                q.records.removeAll(keepingCapacity: true)
                q.backlog.taken(bytes: batch.reduce(0) { $0 &+ CaptureBacklog.cost(payloadBytes: $1.payload.count) })
                if batch.isEmpty, !q.stopping { q.writerWaiting = true }
                return (batch, q.stopping)
            }
            if batch.isEmpty {
                if stopping { break }
                wake.wait()
                continue
            }
            write(batch, rotation: &rotation, headerBytes: headerBytes, buffer: &buffer)
        }
        files.close()
        finished.signal()
    }

    /// Writes `batch`, one `append` per file it goes to; a failure drops the rest of the batch.
    private func write(_ batch: [CaptureRecord], rotation: inout CaptureRotation, headerBytes: Int, buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        var pending = 0
        var written = 0
        var started = 0
        do throws(CaptureFileError) {
            for record in batch {
                for step in rotation.place(recordBytes: CaptureFormat.encodedSize(record), headerBytes: headerBytes, at: record.time) {
                    switch step {
                    case .start(let name):
                        if !buffer.isEmpty { try files.append(buffer) }
                        written += pending
                        (pending, buffer) = (0, [])
                        try files.start(name)
                        started += 1
                        buffer.append(contentsOf: CaptureFormat.headerText(withStart(record.time)).utf8)
                    case .delete(let name):
                        files.remove(name)
                    case .write:
                        CaptureFormat.append(record, to: &buffer)
                        pending += 1
                    }
                }
            }
            if !buffer.isEmpty { try files.append(buffer) }
            written += pending
            settle(written: written, lost: 0, files: started, error: nil)
        } catch {
            rotation.lost()
            settle(written: written, lost: batch.count - written, files: started, error: error)
        }
    }

    private func settle(written: Int, lost: Int, files started: Int, error: CaptureFileError?) {
        let (startsEpisode, ended, report) = queue.withLock { q -> (Bool, Int?, Int?) in
            q.statistics.written += written
            q.statistics.files += started
            let starts = q.backlog.lost(records: lost)
            let ended = lost == 0 && written > 0 ? q.backlog.written() : nil
            q.statistics.dropped = q.backlog.dropped
            if let error { q.statistics.lastError = error.description }
            // Drops since the status was last told (once a batch at most, not once a record).
            guard q.reportedDrops != q.backlog.dropped else { return (starts, ended, nil) }
            q.reportedDrops = q.backlog.dropped
            return (starts, ended, q.backlog.dropped)
        }
        if startsEpisode {
            logger.warning("reader \(header.reader): cannot write its capture (\(error.map { "\($0)" } ?? "")); dropping records until it can")
        }
        if let ended {
            logger.notice("reader \(header.reader): capture recording again; \(ended) record(s) dropped meanwhile")
        }
        if let report { onDrops(report) }
    }

    private func withStart(_ time: Timestamp) -> CaptureHeader {
        var header = header
        header.started = time
        return header
    }
}
