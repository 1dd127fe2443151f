#if canImport(Glibc)
import Glibc
#endif
import TagwayCapture

/// Whole LLRP messages read from a socket by their header's length.
struct LLRPMessageReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The next message; nil when the peer closed, the framing is impossible, or `stop` says so.
    mutating func next(until stop: () -> Bool) -> [UInt8]? {
        while true {
            if buffer.count >= 6 {
                let length = Int(buffer[2]) << 24 | Int(buffer[3]) << 16 | Int(buffer[4]) << 8 | Int(buffer[5])
                guard length >= 10, length <= CaptureRecord.maxPayload else { return nil }
                if buffer.count >= length {
                    defer { buffer.removeFirst(length) }
                    return Array(buffer[0..<length])
                }
            }
            if stop() { return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            buffer += chunk[0..<n]
        }
    }
}
