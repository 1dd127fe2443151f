#if canImport(Glibc)
import Glibc
import TagwaySettings
#elseif canImport(Darwin)
import Darwin
#endif
@preconcurrency import Dispatch

/// An open serial port (a USB-serial adapter, a UART, or the slave side of a pseudo-terminal),
/// in raw mode, read without polling: a dispatch read source wakes only when the kernel has bytes.
///
/// Bytes arrive on `chunks`, which holds at most its byte budget (the source pauses while the
/// reader session is behind, see `SerialChunks`); it ends with `SerialError.disconnected` when the
/// device goes away (EOF or EIO, which is what a pulled USB adapter and a closed pty master both
/// look like). The descriptor is closed exactly once, in the read source's cancel handler, so a
/// close can never race a read on a reused descriptor number.
// @unchecked: every stored property is a `let`; the descriptor is used by `write` (any thread,
// one writer: the session) and closed only by the read source's cancel handler.
public final class SerialPort: @unchecked Sendable {
    /// Bytes held for a session that is behind before the port is paused: 256 KiB is over 20 s
    /// of a 115200-baud line, far more than any reader's burst.
    public static let defaultBufferBudget = 256 * 1024

    public let path: String
    public let settings: SerialSettings
    public let chunks: SerialChunks
    /// Bytes the line held when it was opened, discarded (see `discardStaleInput`).
    public let discardedAtOpen: Int

    private let fd: Int32
    private let source: any DispatchSourceRead

    private init(path: String, settings: SerialSettings, fd: Int32, queue: DispatchQueue, budget: Int, discarded: Int) {
        self.path = path
        self.settings = settings
        self.discardedAtOpen = discarded
        self.fd = fd
        let chunks = SerialChunks(budget: budget)
        self.chunks = chunks
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        self.source = source
        chunks.attach(pause: { source.suspend() }, resume: { source.resume() })
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var readSome = false
            while true {
                // Once bytes were read, stop when the line discipline holds no more instead of
                // reading until EAGAIN: on a tty with nothing to read, read() first waits for the
                // kernel worker that moves received bytes in (n_tty's flush_work), which a busy
                // machine runs milliseconds late, and the port's queue waited with it. Bytes the
                // worker moves in later wake the source again. The first read of a wake-up is
                // always made, so an end of the device (EOF, EIO) is still seen.
                if readSome, Self.bytesWaiting(fd) == 0 { return }
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    readSome = true
                    // False: the budget is reached and the source paused; the rest waits in the kernel.
                    if chunks.push(Array(buffer[0..<n])) { continue }
                    return
                }
                let err = errno
                if n < 0 && (err == EAGAIN || err == EINTR) { return }
                // 0 (EOF) or EIO/ENXIO/ENODEV: the device is gone.
                chunks.finish(throwing: SerialError.disconnected(path: path))
                source.cancel()
                return
            }
        }
        source.setCancelHandler {
            _ = Glibc.close(fd)
            chunks.finish()
        }
        source.activate()
    }

    /// Bytes the line discipline holds for reading (FIONREAD); nil when the ioctl fails (then
    /// the caller reads, as before).
    static func bytesWaiting(_ fd: Int32) -> Int32? {
        var count: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &count) == 0 ? count : nil
    }

    /// Opens `path` exclusively and puts the line in raw mode with `settings`; with
    /// `discardingQueuedInput`, what the line held before is dropped (see `discardStaleInput`).
    public static func open(path: String, settings: SerialSettings, queue: DispatchQueue = DispatchQueue(label: "tagway.serial"),
                            bufferBudget: Int = defaultBufferBudget, discardingQueuedInput: Bool = true) throws(SerialError) -> SerialPort {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let err = errno
            switch err {
            case ENOENT, ENODEV, ENXIO: throw .notFound(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            case EBUSY: throw .busy(path: path)
            default: throw .io(path: path, call: "open", errno: err, message: Self.message(err))
            }
        }
        do {
            try Self.lockExclusively(fd, path: path)
            try Self.configure(fd, path: path, settings: settings)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        let discarded = discardingQueuedInput ? discardStaleInput(fd) : 0
        return SerialPort(path: path, settings: settings, fd: fd, queue: queue, budget: bufferBudget, discarded: discarded)
    }

    /// Empties the line's input queue once it is configured, and says how many bytes it held.
    ///
    /// Whatever is queued before this open is stale: a reply to a command of a gateway that was
    /// killed before reading it (the tty keeps it for the next opener: a pty always, a USB-serial
    /// adapter's buffer often), or a passive reader's lines from while nobody listened, received
    /// at the old settings. Read now, such bytes would be stamped with now: a tag that left the
    /// field seconds ago would arrive again (the kill -9 stress test saw exactly that). A driver
    /// or emulation without TCFLSH is read as it is (nothing is lost that was not stale).
    static func discardStaleInput(_ fd: Int32) -> Int {
        let queued = Int(bytesWaiting(fd) ?? 0)
        return tcflush(fd, TCIFLUSH) == 0 ? queued : 0
    }

    /// Writes all of `bytes` (reader commands are a few bytes; a full output buffer is waited out).
    public func write(_ bytes: [UInt8]) throws(SerialError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }  // force-unwrap-ok: inside `offset < count`: the buffer is not empty
            if n >= 0 {
                offset += n
                continue
            }
            let err = errno
            switch err {
            case EINTR: continue
            case EAGAIN:
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 1000)
            case EIO, ENXIO, ENODEV: throw .disconnected(path: path)
            default: throw .io(path: path, call: "write", errno: err, message: Self.message(err))
            }
        }
    }

    /// Stops reading and closes the port; `chunks` finishes.
    public func close() {
        chunks.releaseForCancel()
        source.cancel()
    }

    static func message(_ err: Int32) -> String {
        String(cString: strerror(err))
    }

    /// Two gateways (or a gateway and a terminal program) on one reader corrupt each other's
    /// frames, so the port is taken exclusively: TIOCEXCL keeps out other non-root openers, and an
    /// advisory lock keeps out a second tagway even when it runs as root.
    private static func lockExclusively(_ fd: Int32, path: String) throws(SerialError) {
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            if err == EWOULDBLOCK { throw .busy(path: path) }
        }
        if ioctl(fd, UInt(TIOCEXCL)) != 0 {
            let err = errno
            // Emulated ttys (umockdev) and some drivers do not implement TIOCEXCL.
            if err != ENOTTY && err != EINVAL {
                throw .configure(path: path, call: "ioctl(TIOCEXCL)", errno: err, message: message(err))
            }
        }
    }

    private static func configure(_ fd: Int32, path: String, settings: SerialSettings) throws(SerialError) {
        var tio = termios()
        guard tcgetattr(fd, &tio) == 0 else {
            let err = errno
            throw .configure(path: path, call: "tcgetattr", errno: err, message: message(err) + " (not a serial device?)")
        }
        cfmakeraw(&tio)
        guard let speed = speed(baud: settings.baud) else {
            throw .configure(path: path, call: "cfsetspeed", errno: EINVAL, message: "baud \(settings.baud) is not supported")
        }
        cfsetispeed(&tio, speed)
        cfsetospeed(&tio, speed)
        let cleared: tcflag_t = tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        tio.c_cflag &= ~cleared
        tio.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
        switch settings.dataBits {
        case 5: tio.c_cflag |= tcflag_t(CS5)
        case 6: tio.c_cflag |= tcflag_t(CS6)
        case 7: tio.c_cflag |= tcflag_t(CS7)
        default: tio.c_cflag |= tcflag_t(CS8)
        }
        switch settings.parity {
        case .none: break
        case .even: tio.c_cflag |= tcflag_t(PARENB)
        case .odd: tio.c_cflag |= tcflag_t(PARENB) | tcflag_t(PARODD)
        }
        if settings.stopBits == 2 { tio.c_cflag |= tcflag_t(CSTOPB) }
        tio.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        switch settings.flowControl {
        case .none: break
        case .rtscts: tio.c_cflag |= tcflag_t(CRTSCTS)
        case .xonxoff: tio.c_iflag |= tcflag_t(IXON) | tcflag_t(IXOFF)
        }
        // VMIN/VTIME only matter for blocking reads; the descriptor is non-blocking.
        withUnsafeMutableBytes(of: &tio.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &tio) == 0 else {
            let err = errno
            throw .configure(path: path, call: "tcsetattr", errno: err, message: message(err))
        }
    }

    /// termios' constant for a baud rate; nil for a rate the line discipline has no constant for.
    public static func speed(baud: Int) -> speed_t? {
        switch baud {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 9600: speed_t(B9600)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115_200: speed_t(B115200)
        case 230_400: speed_t(B230400)
        case 460_800: speed_t(B460800)
        case 921_600: speed_t(B921600)
        default: nil
        }
    }
}
