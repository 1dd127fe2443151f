import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Speaks systemd's notify protocol on `NOTIFY_SOCKET` directly (an AF_UNIX datagram per
/// message; a leading `@` names an abstract socket), so Tagway needs no libsystemd.
///
/// Without `NOTIFY_SOCKET` (run from a shell, a test, a container) every send is a no-op. A
/// failed send is logged once and never stops the gateway: a supervisor that does not listen
/// must not take the readers down.
public final class SystemdNotifier: Sendable {
    private let address: sockaddr_un?
    private let addressLength: socklen_t
    private let descriptor: Int32
    private let logger: Logger
    private let reportedFailure = Mutex(false)
    /// `WATCHDOG_USEC`, when systemd enabled the watchdog for this process (`WATCHDOG_PID` absent or ours).
    public let watchdog: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) {
        self.logger = logger
        watchdog = Self.watchdog(environment: environment, pid: getpid())
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else {
            (address, addressLength, descriptor) = (nil, 0, -1)
            return
        }
        guard let (address, length) = Self.address(path) else {
            logger.error("NOTIFY_SOCKET '\(path)' is not a usable AF_UNIX address; systemd is not told when the gateway is ready")
            (self.address, addressLength, descriptor) = (nil, 0, -1)
            return
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 {
            logger.error("cannot open a socket for NOTIFY_SOCKET: \(String(cString: strerror(errno)))")
        }
        (self.address, addressLength, descriptor) = fd < 0 ? (nil, 0, -1) : (address, length, fd)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// True when messages go somewhere (systemd, or a test's socket).
    public var isActive: Bool { address != nil }

    /// Sends one datagram (`READY=1`, `STATUS=…`, several lines separated by newlines).
    public func send(_ message: String) {
        guard var address else { return }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, addressLength)
            }
        }
        if sent < 0 {
            let reason = String(cString: strerror(errno))
            let first = reportedFailure.withLock { reported -> Bool in
                defer { reported = true }
                return !reported
            }
            if first { logger.error("cannot notify systemd on NOTIFY_SOCKET: \(reason) (further failures are not logged)") }
        }
    }

    /// The watchdog interval systemd asks for, if it is meant for this process.
    static func watchdog(environment: [String: String], pid: pid_t) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty, owner != String(pid) { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    /// `path` as a `sockaddr_un`: a file system path, or `@name` for an abstract socket (a
    /// leading NUL, and a length that counts only the name's bytes). Nil when it does not fit.
    static func address(_ path: String) -> (sockaddr_un, socklen_t)? {
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 } else if bytes.first != UInt8(ascii: "/") { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A path needs its terminating NUL inside sun_path; an abstract name does not.
        guard bytes.count < capacity || (abstract && bytes.count <= capacity), bytes.count > 1 else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        // force-unwrap-ok: sun_path is a stored property, which always has an offset
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1)
        return (address, socklen_t(length))
    }
}
