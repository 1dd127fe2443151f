import Glibc
import TagwayModel

/// The real clock for the edges. Reports are stamped when libusb hands them over; the pure
/// decoders only ever see these stamps.
public enum WallClock {
    @Sendable public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}
