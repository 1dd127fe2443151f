/// Milliseconds since the Unix epoch, UTC.
///
/// Pure code never reads a clock: every function that needs "now" takes a `Timestamp`, so tests
/// and benchmarks replay hours of traffic in microseconds and get the same answer every time.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Saturates at the ends of time instead of trapping: a duration that slipped past the
    /// configuration's bounds makes a deadline "never", not a crash at the first read.
    @inlinable
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(milliseconds: lhs.milliseconds.saturatingAdd(rhs.wholeMilliseconds))
    }

    /// Saturating, like `+`: two timestamps from anywhere always have a difference.
    @inlinable
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .milliseconds(lhs.milliseconds.saturatingSubtract(rhs.milliseconds))
    }

    /// RFC 3339 with milliseconds and `Z`, the form of the event contract's `time`.
    public var iso8601: String { ISO8601Millis.format(self) }

    public var description: String { iso8601 }
}

extension Duration {
    /// Whole milliseconds, truncated toward zero; saturated at `Int64.min`/`Int64.max` for a
    /// duration too long to count in milliseconds.
    @inlinable
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        return millis.saturatingAdd(attoseconds / 1_000_000_000_000_000)
    }
}

extension FixedWidthInteger where Self: SignedInteger {
    /// `self + other`, clamped to the representable range. Deadlines are computed from
    /// configured durations on the per-read path; one add with an overflow check is cheap.
    @inlinable
    public func saturatingAdd(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }

    /// `self - other`, clamped to the representable range.
    @inlinable
    public func saturatingSubtract(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}

/// Civil-calendar formatting and parsing without Foundation's formatters, which are slow and
/// locale-sensitive; the event log formats one timestamp per event.
public enum ISO8601Millis {
    public static func format(_ time: Timestamp) -> String {
        let ms = time.milliseconds
        let days = floorDiv(ms, 86_400_000)
        let msOfDay = ms - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        let hour = msOfDay / 3_600_000
        let minute = (msOfDay / 60_000) % 60
        let second = (msOfDay / 1000) % 60
        let milli = msOfDay % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(milli, 3))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z`; nil for anything else.
    public static func parse(_ text: String) -> Timestamp? {
        let u = Array(text.utf8)
        guard u.count >= 20, u.last == UInt8(ascii: "Z"), u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58
        else { return nil }
        func num(_ from: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for i in from..<(from + length) {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                value = value * 10 + Int64(u[i] - 48)
            }
            return value
        }
        guard let year = num(0, 4), let month = num(5, 2), let day = num(8, 2),
              let hour = num(11, 2), let minute = num(14, 2), let second = num(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var millis: Int64 = 0
        if u.count > 20 {
            guard u[19] == 46 else { return nil }
            let digits = u.count - 21
            guard digits >= 1, digits <= 9, let fraction = num(20, digits) else { return nil }
            var scaled = fraction
            for _ in 0..<(max(0, digits - 3)) { scaled /= 10 }
            for _ in 0..<(max(0, 3 - digits)) { scaled *= 10 }
            millis = scaled
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Timestamp(milliseconds: days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    // Howard Hinnant's days-from-civil algorithms (public domain arithmetic).
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysFromCivil(year y0: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
