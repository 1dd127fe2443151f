import Foundation
import TagwayDecoders
import TagwayLLRP

/// A blocking LLRP client on a real socket, for tests of the emulator's server: it writes encoded
/// messages and reads framed, decoded ones, with a receive timeout so a silent server fails the
/// test instead of hanging it.
final class LLRPSocketClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let fd: Int32
    private var window = ByteWindow()
    private var framer = LLRPFramer()
    /// Set once the server closed the connection.
    private(set) var closedByServer = false

    init(port: Int, timeout: Duration = .seconds(10)) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): errno \(error)")
        }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ message: LLRPMessage, id: UInt32) throws {
        let bytes = LLRPCodec.encode(message, id: id)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "write: errno \(errno)") }
            sent += n
        }
    }

    /// Reads until a message satisfies `done` (returned last), the server closes, or the receive
    /// timeout passes (a failure).
    func read(until done: (LLRPEnvelope) -> Bool) throws -> [LLRPEnvelope] {
        var heard: [LLRPEnvelope] = []
        while true {
            while let frame = try framer.next(&window) {
                let envelope = try LLRPCodec.decode(frame)
                heard.append(envelope)
                if done(envelope) { return heard }
            }
            guard !closedByServer else { return heard }
            try fill()
        }
    }

    /// Reads everything until the server closes the connection.
    func readUntilClosed() throws -> [LLRPEnvelope] {
        try read { _ in false }
    }

    /// The next message, whatever it is.
    func next() throws -> LLRPEnvelope? {
        try read { _ in true }.last
    }

    private func fill() throws {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 {
            closedByServer = true
            return
        }
        if n < 0 {
            if errno == ECONNRESET {
                closedByServer = true
                return
            }
            throw Failure(description: "recv: errno \(errno) (nothing from the server before the timeout?)")
        }
        window.append(contentsOf: buffer[0..<n])
    }
}
