import TagwayModel

/// Puts a reader's timestamps on the gateway's clock. Every report gives a sample: the reader's
/// latest time in it minus when the gateway received it. That is the clocks' difference plus the
/// report's delay, and the delay is never negative, so the largest recent sample is the one
/// nearest the true difference (NTP's minimum-delay filter, seen from the other side).
///
/// A UTC clock within `maxSkew` of the gateway's is trusted for its precision; one further off is
/// a misconfigured reader, and its reads get the time they arrived. A reader without a clock
/// gives uptime, whose difference from the gateway's clock is its boot time: always usable.
public struct ClockSkewEstimator: Sendable, Hashable {
    public enum ReaderClock: Sendable, Hashable {
        case utc, uptime
    }

    struct Sample: Sendable, Hashable {
        var receivedAt: Timestamp
        var offsetMicroseconds: Int64
    }

    public let maxSkew: Duration
    /// Samples kept: the last `window` reports, none older than `maxAge`.
    public let window: Int
    public let maxAge: Duration
    private var samples: [Sample] = []
    private var clock: ReaderClock?
    /// Reader clock minus gateway clock, in microseconds (for uptime: minus the boot time).
    public private(set) var offsetMicroseconds: Int64?

    public init(maxSkew: Duration, window: Int = 64, maxAge: Duration = .seconds(60)) {
        self.maxSkew = maxSkew
        self.window = max(1, window)
        self.maxAge = maxAge
    }

    /// The reader's clock as measured, for status: nil until a report came, and for an uptime
    /// clock (its offset is a boot time, not a skew).
    public var skew: Duration? {
        guard clock == .utc, let offsetMicroseconds else { return nil }
        return .microseconds(offsetMicroseconds)
    }

    /// False once the reader's UTC clock is measured beyond `maxSkew`; nil before any report.
    public var readerClockUsed: Bool? {
        guard let clock, let offsetMicroseconds else { return nil }
        return clock == .uptime || offsetMicroseconds.magnitude / 1000 <= UInt64(clamping: maxSkew.wholeMilliseconds)
    }

    /// Adds one report's sample: `latest` is the newest reader time in it. Returns a notice when
    /// the reader's clock stops (or starts again) being trusted.
    public mutating func add(latest: LLRPTimestamp, receivedAt: Timestamp) -> String? {
        let (kind, micros) = Self.split(latest)
        if kind != clock {
            // A reader that changed clocks (set its time, rebooted without NTP) starts over.
            samples.removeAll()
            clock = kind
        }
        let wasUsed = readerClockUsed
        let received = receivedAt.milliseconds.multipliedReportingOverflow(by: 1000)
        let gatewayMicros = received.overflow ? (receivedAt.milliseconds < 0 ? Int64.min : .max) : received.partialValue
        samples.append(Sample(receivedAt: receivedAt, offsetMicroseconds: micros.saturatingSubtract(gatewayMicros)))
        let oldest = receivedAt + (.zero - maxAge)
        let stale = samples.prefix { $0.receivedAt < oldest }.count
        let excess = samples.count - window
        let drop = min(max(stale, excess, 0), samples.count - 1)
        if drop > 0 { samples.removeFirst(drop) }
        offsetMicroseconds = samples.map(\.offsetMicroseconds).max()
        guard kind == .utc, let used = readerClockUsed, used != wasUsed, let offsetMicroseconds else { return nil }
        if !used {
            return "reader clock is \(Self.describe(offsetMicroseconds)) the gateway; using the gateway's clock for its reads"
        }
        guard wasUsed == false else { return nil }
        return "reader clock is back within \(Self.describe(maxSkew)) of the gateway (\(Self.describe(offsetMicroseconds))); using its timestamps again"
    }

    /// When the reader saw a tag, on the gateway's clock: its own time less the measured
    /// offset, or `receivedAt` when its clock is not trusted or not measured yet.
    public func seenAt(_ time: LLRPTimestamp, receivedAt: Timestamp) -> Timestamp {
        let (kind, micros) = Self.split(time)
        guard kind == clock, readerClockUsed == true, let offsetMicroseconds else { return receivedAt }
        let gatewayMicros = micros.saturatingSubtract(offsetMicroseconds)
        // Floor division: a read 0.4 ms before a millisecond belongs to the one before.
        let millis = gatewayMicros >= 0 ? gatewayMicros / 1000 : -((-(gatewayMicros + 1)) / 1000) - 1
        return Timestamp(milliseconds: millis)
    }

    static func split(_ time: LLRPTimestamp) -> (ReaderClock, Int64) {
        switch time {
        case .utc(let micros): (.utc, Int64(clamping: micros))
        case .uptime(let micros): (.uptime, Int64(clamping: micros))
        }
    }

    /// "3 h 2 min ahead of", "450 ms behind": what an operator needs to fix the reader's clock.
    static func describe(_ offsetMicroseconds: Int64) -> String {
        let direction = offsetMicroseconds >= 0 ? "ahead of" : "behind"
        return "\(describe(Duration.microseconds(offsetMicroseconds.magnitude))) \(direction)"
    }

    static func describe(_ duration: Duration) -> String {
        let ms = duration.wholeMilliseconds
        if ms < 1000 { return "\(ms) ms" }
        let seconds = ms / 1000
        if seconds < 60 { return "\(seconds) s" }
        let (hours, minutes) = (seconds / 3600, seconds % 3600 / 60)
        if hours == 0 { return "\(minutes) min \(seconds % 60) s" }
        if hours < 48 { return minutes == 0 ? "\(hours) h" : "\(hours) h \(minutes) min" }
        return "\(hours / 24) days"
    }
}
