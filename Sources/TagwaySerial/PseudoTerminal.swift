#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair: the simulator plays the reader on the master, the gateway opens the
/// slave path exactly as it opens `/dev/ttyUSB0` (gpsd's gpsfake does the same).
///
/// The pair keeps its own slave descriptor open for its lifetime. Without it, the master sees EIO
/// whenever the gateway has the port closed (between reconnects), and bytes written meanwhile
/// would be lost as an error rather than waiting in the line discipline like a real UART's FIFO.
// @unchecked: `closed` is touched by `close()` and deinit only, which the one owner (a simulated
// reader's play thread, or a test) calls from one thread.
public final class PseudoTerminal: @unchecked Sendable {
    public let masterFD: Int32
    public let slavePath: String
    private let slaveKeeper: Int32
    private var closed = false

    public init() throws(SerialError) {
        var master: Int32 = -1
        var slave: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        guard openpty(&master, &slave, &name, nil, nil) == 0 else {
            let err = errno
            throw .io(path: "/dev/ptmx", call: "openpty", errno: err, message: String(cString: strerror(err)))
        }
        // Raw on both ends: no echo of the gateway's commands back at it, no CR/LF translation.
        var tio = termios()
        tcgetattr(slave, &tio)
        cfmakeraw(&tio)
        tcsetattr(slave, TCSANOW, &tio)
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        masterFD = master
        slaveKeeper = slave
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes reader bytes into the port (blocking until the line discipline takes them).
    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(masterFD, $0.baseAddress! + offset, $0.count - offset) }  // force-unwrap-ok: inside `offset < count`: the buffer is not empty
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += n
        }
    }

    /// Reads what the gateway wrote to the reader, waiting at most `timeoutMs` (0: do not wait).
    public func read(timeoutMs: Int32) -> [UInt8] {
        var pfd = pollfd(fd: masterFD, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, timeoutMs) > 0, pfd.revents & Int16(POLLIN) != 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(masterFD, $0.baseAddress, $0.count) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// Bytes the line discipline holds for the slave's reader (written, not yet read).
    public var queuedForSlave: Int { Int(SerialPort.bytesWaiting(slaveKeeper) ?? 0) }

    /// Unplugs the "device": the gateway's reads end with EIO, like a pulled USB adapter.
    /// The line speed the other end set on the slave (the master shares the slave's termios on
    /// Linux), so a simulated reader can tell when the gateway opened it at the wrong rate.
    public var slaveSpeed: speed_t? {
        var tio = termios()
        guard tcgetattr(masterFD, &tio) == 0 else { return nil }
        return cfgetospeed(&tio)
    }

    public func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(masterFD)
        _ = Glibc.close(slaveKeeper)
    }

    deinit { close() }
}
