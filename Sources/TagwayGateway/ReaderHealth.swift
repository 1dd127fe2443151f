import Foundation
import Synchronization
import TagwayModel
import TagwaySessions
import TagwayRuntime

/// What an operator needs to know about one reader: is it connected, is it talking, what goes wrong.
public struct ReaderHealth: Sendable, Hashable {
    public var reader: String
    public var path: String
    public var connected = false
    public var connectedSince: Timestamp?
    public var lastFrame: Timestamp?
    public var frames = 0
    /// Frames per second over the last completed 10-second interval.
    public var framesPerSecond = 0.0
    public var lastError: String?
    /// Totals since start, each with one meaning, grown only by a session machine's deltas.
    public var counters = ReaderCounters()
    /// Reads not turned into events because the log refused events and the held ones reached
    /// their bound (back-pressure), and bytes the serial port discarded while the pipeline was behind.
    public var droppedReads = 0
    /// Capture records dropped because the capture's disk was slow or full (nil: not captured, or none dropped).
    public var captureDropped: Int?
    /// Bytes read from the port (serial readers; nil for USB HID readers, which hand over reports).
    public var bytes: Int?
    /// What the reader said about itself (LLRP readers: model, firmware, antennas, clock skew).
    public var details: ReaderDetails?
    /// Reports per second, from the successive `details.reports` totals.
    public var reportRate = ReportRate()
    /// Connections opened after the first.
    public var reconnects: Int { counters.reconnects }
    /// Counted problems: decoder drops by reason (`bad-checksum`, `garbage` … in bytes), HID scan
    /// problems, and port errors by kind.
    public var errors: [String: Int] { counters.errors }
    /// Decoder drops by reason, counted once per drop (not per byte as in `errors`), since start:
    /// what the metrics publish as `tagway_reader_decode_drops_total`.
    public var decodeDrops: [String: Int] { counters.decodeDrops }

    public init(reader: String, path: String) {
        self.reader = reader
        self.path = path
    }

    /// The reader's status object; `now` ages what is timestamped (`details.keepaliveAgeSeconds`).
    public func json(at now: Timestamp) -> String {
        var w = JSONObjectWriter()
        w.string("reader", reader)
        w.string("path", path)
        w.bool("connected", connected)
        if let connectedSince { w.string("connectedSince", connectedSince.iso8601) }
        if let lastFrame { w.string("lastFrame", lastFrame.iso8601) }
        w.number("frames", Int64(frames))
        w.raw("framesPerSecond", String(format: "%.1f", framesPerSecond))
        w.number("reconnects", Int64(reconnects))
        w.number("droppedReads", Int64(droppedReads))
        if let captureDropped { w.number("captureDropped", Int64(captureDropped)) }
        if let lastError { w.string("lastError", lastError) }
        var e = JSONObjectWriter()
        for (key, value) in errors.sorted(by: { $0.key < $1.key }) { e.number(key, Int64(value)) }
        w.raw("errors", e.finish())
        var d = JSONObjectWriter()
        for (key, value) in decodeDrops.sorted(by: { $0.key < $1.key }) { d.number(key, Int64(value)) }
        w.raw("decodeDrops", d.finish())
        if let details { w.raw("details", details.json(reportsPerSecond: reportRate.perSecond, now: now)) }
        return w.finish()
    }
}

/// Thread-safe table of reader health, written by reader sessions, read by status output.
public final class HealthBoard: Sendable {
    private struct Table {
        var entries: [String: ReaderHealth] = [:]
        var rateWindows: [String: (start: Timestamp, frames: Int)] = [:]
    }

    private let table = Mutex(Table())
    /// Told when a session says its reader connected or was lost (readiness grace counts from it).
    private let connectionObservers = Mutex<[@Sendable (String, Bool) -> Void]>([])
    /// Signalled on every change of any entry (status.json is rewritten from it).
    public let changes: ChangeSignal
    /// What tag filters dropped and the reference tags' states, per reader (rings `changes` too).
    public let filters: FilterBoard

    public init() {
        let changes = ChangeSignal()
        self.changes = changes
        filters = FilterBoard(changes: changes)
    }

    /// Calls `observer` with the reader and its new state on every connection change `apply` makes.
    public func onConnectionChange(_ observer: @escaping @Sendable (_ reader: String, _ connected: Bool) -> Void) {
        connectionObservers.withLock { $0.append(observer) }
    }

    func connectionChanged(_ reader: String, connected: Bool) {
        for observer in connectionObservers.withLock({ $0 }) { observer(reader, connected) }
    }

    public func register(_ reader: String, path: String) {
        table.withLock { $0.entries[reader] = ReaderHealth(reader: reader, path: path) }
        changes.signal()
    }

    public func update(_ reader: String, _ change: (inout ReaderHealth) -> Void) {
        table.withLock { table in
            guard var entry = table.entries[reader] else { return }
            change(&entry)
            table.entries[reader] = entry
        }
        changes.signal()
    }

    /// Counts frames and keeps the per-10-second rate.
    public func framesReceived(_ reader: String, count: Int, at now: Timestamp) {
        chunkReceived(reader, frames: count, bytes: nil, at: now)
    }

    /// Counts one chunk read from a port: its bytes, and the frames it completed (if any).
    public func chunkReceived(_ reader: String, frames count: Int, bytes: Int?, at now: Timestamp) {
        table.withLock { table in
            guard var entry = table.entries[reader] else { return }
            if let bytes { entry.bytes = (entry.bytes ?? 0).saturatingAdd(bytes) }
            guard count > 0 else {
                table.entries[reader] = entry
                return
            }
            entry.frames = entry.frames.saturatingAdd(count)
            entry.lastFrame = now
            var window = table.rateWindows[reader] ?? (now, 0)
            window.frames = window.frames.saturatingAdd(count)
            let elapsed = now.milliseconds &- window.start.milliseconds
            if elapsed >= 10_000 {
                entry.framesPerSecond = Double(window.frames) * 1000 / Double(elapsed)
                window = (now, 0)
            }
            table.rateWindows[reader] = window
            table.entries[reader] = entry
        }
        changes.signal()
    }

    public var snapshot: [ReaderHealth] {
        table.withLock { $0.entries.values.sorted { $0.reader < $1.reader } }
    }
}
