import TagwayFilters
import TagwayModel

/// What a replay did, for its summary on stderr and for the benchmark.
public struct ReplaySummary: Sendable {
    public var captures = 0
    public var tally = ReplayTally()
    /// The earliest and latest record replayed (capture clock).
    public var firstRecord: Timestamp?
    public var lastRecord: Timestamp?
    /// Where the capture's clock stopped, and why there.
    public var stoppedAt: Timestamp?
    public var stopReason = ""
    /// Reads the configuration's tag filters dropped, all readers together (what a filter change
    /// tried on a capture is judged by, next to the events).
    public var filtered = FilterCounts()
    public var eventsByType: [EventType: Int] = [:]
    public var events: Int { eventsByType.values.reduce(0, +) }
    /// Wall time of the whole replay (reading, decoding, the pipeline, the log), not the printing.
    public var wall: Duration = .zero
    public var logPath = ""

    /// The span of capture time replayed (first to last record).
    public var captureSpan: Duration {
        guard let firstRecord, let lastRecord else { return .zero }
        return lastRecord - firstRecord
    }

    /// Capture time per wall time (nil when either is zero).
    public var speed: Double? {
        let wallSeconds = Self.seconds(wall), span = Self.seconds(captureSpan)
        guard wallSeconds > 0, span > 0 else { return nil }
        return span / wallSeconds
    }

    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
