import Foundation
import TagwayModel

/// The one place the gateway reads the wall clock; the pure core is handed what it returns.
public enum SystemClock {
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}
