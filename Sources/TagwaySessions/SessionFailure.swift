/// Why a reader could not be opened or stopped being readable, as the machine needs it: a stable
/// kind for the health counters, the text an operator reads, and how the session may recover.
///
/// Shells translate their transport's errors (`SerialError`, `USBError`, a TCP connect error)
/// into this, which is what keeps the machine transport-neutral.
public struct SessionFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Recovery: Hashable, Sendable {
        /// Try again after the backoff (cut short when the device is announced again).
        case retryAfterBackoff
        /// Trying again cannot help until the device is plugged in again (a HID reader whose
        /// interface is not what its profile says, a USB reader that was unplugged).
        case waitForDevice
    }

    /// Key of the health error counter (`permission-denied`, `no-device`, `io` …).
    public var kind: String
    public var description: String
    public var recovery: Recovery

    public init(kind: String, description: String, recovery: Recovery = .retryAfterBackoff) {
        self.kind = kind
        self.description = description
        self.recovery = recovery
    }
}
