#if canImport(Glibc)
import Glibc
#endif

/// Tells when another process opens a pty's slave (inotify's IN_OPEN on the device node): the
/// moment a capture's replay starts its clock, as the recorded reader's started at the gateway's
/// `open`.
final class PortOpenWatch {
    private let descriptor: Int32

    /// Nil when inotify cannot watch `path` (the replay then starts at once).
    init?(path: String) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, path, UInt32(IN_OPEN)) >= 0 else {
            Glibc.close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { Glibc.close(descriptor) }

    /// Whether the path was opened since the last call, waiting at most `timeoutMs`.
    func opened(timeoutMs: Int32) -> Bool {
        var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, timeoutMs) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        return n > 0
    }
}
