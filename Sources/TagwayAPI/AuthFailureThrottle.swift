/// Which failed authentications get a log line: the first `burst` of each `interval`, then
/// silence until the interval ends; the first line of the next interval says how many were left
/// out. A client trying tokens in a loop costs the journal `burst` lines a minute, not one per
/// attempt, and nothing is lost: the counter `tagway_api_auth_failures_total` has every one.
///
/// Pure: the time (monotonic, in milliseconds) is passed in.
public struct AuthFailureThrottle: Sendable {
    public let burst: Int
    public let intervalMilliseconds: Int64
    private var windowStart: Int64?
    private var logged = 0
    private var unlogged = 0

    public init(burst: Int = 10, intervalMilliseconds: Int64 = 60_000) {
        self.burst = max(1, burst)
        self.intervalMilliseconds = max(1, intervalMilliseconds)
    }

    public enum Decision: Sendable, Equatable {
        /// Log this failure. `unloggedBefore`: failures left out in the intervals since the
        /// last line; `last`: this is the last line of the interval (say that more are counted only).
        case log(unloggedBefore: Int, last: Bool)
        case quiet
    }

    public mutating func record(now: Int64) -> Decision {
        // Saturating: a clock near Int64.max (or a window started long ago) must not trap.
        let (end, overflow) = (windowStart ?? now).addingReportingOverflow(intervalMilliseconds)
        var carried = 0
        if windowStart == nil || !overflow && now >= end || now < (windowStart ?? now) {
            windowStart = now
            carried = unlogged
            logged = 0
            unlogged = 0
        }
        guard logged < burst else {
            unlogged = unlogged == Int.max ? unlogged : unlogged + 1
            return .quiet
        }
        logged += 1
        return .log(unloggedBefore: carried, last: logged == burst)
    }
}
