import Foundation
import Histogram
import TagwaySerial
#if canImport(Glibc)
import Glibc
#endif

/// The other floor under read→durable: how long the kernel takes to hand one frame written to a
/// pty's master to a reader polling its slave. The line discipline moves the bytes in a kernel
/// worker thread, which a busy machine schedules late, whatever the gateway does.
enum PipelinePtyFloor {
    static func measure(count: Int = 1_000) -> Histogram<UInt64>? {
        guard let pty = try? PseudoTerminal() else { return nil }
        defer { pty.close() }
        let slave = open(pty.slavePath, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard slave >= 0 else { return nil }
        defer { close(slave) }
        var raw = termios()
        tcgetattr(slave, &raw)
        cfmakeraw(&raw)
        tcsetattr(slave, TCSANOW, &raw)
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        let frame: [UInt8] = [0x02] + Array("0123456789AB".utf8) + [0x03]
        var buffer = [UInt8](repeating: 0, count: 256)
        for _ in 0..<count {
            let start = PipelineCPU.monotonicNanoseconds()
            pty.write(frame)
            var got = 0
            while got < frame.count {
                var pfd = pollfd(fd: slave, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 1_000) > 0 else { return nil }
                let n = buffer.withUnsafeMutableBytes { read(slave, $0.baseAddress, $0.count) }
                if n > 0 { got += n }
            }
            histogram.record((PipelineCPU.monotonicNanoseconds() - start) / 1_000)
            usleep(200)
        }
        return histogram
    }
}
