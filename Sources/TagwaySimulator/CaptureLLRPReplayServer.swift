import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TagwayCapture
import TagwayModel
import TagwayRuntime

/// Plays an LLRP reader's capture on a TCP port (`tagway simulate --replay FILE --listen`): each
/// recorded connection is one accepted client, answered in order with the reader's recorded
/// messages at their recorded offsets from the connect.
///
/// The client's requests are read as whole messages and counted, not compared: a recorded answer
/// is sent once the requests recorded before it have arrived (and its time has come), and an
/// answer carrying a recorded request's message id gets the id the client used this time, so a
/// client that numbers its messages differently still matches its answers. Byte-exact requests
/// would fail on what legitimately differs between runs (ROSpec ids, timestamps). The reader's UTC
/// timestamps are moved by the time since the recording (`LLRPClockShift`), so its clock agrees
/// with the gateway's as it did when recorded.
///
/// `@unchecked`: the listening socket is made by `init` and then used by the play thread only;
/// `stopped` is behind its mutex.
public final class CaptureLLRPReplayServer: @unchecked Sendable {
    public let host: String
    public let port: Int
    private let listener: Int32
    private let connections: [[CaptureRecord]]
    private let speed: Double?
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Told after each recorded connection is played (its number, from 1).
    public var onConnectionPlayed: (@Sendable (Int) -> Void)?

    public init(host: String, port: Int, records: [CaptureRecord], speed: Double?) throws(CaptureReplayError) {
        self.speed = speed
        connections = Self.connections(records)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let info = found else {
            throw CaptureReplayError("cannot resolve \(host):\(port)")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw CaptureReplayError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, 4) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw CaptureReplayError("cannot listen on \(host):\(port): \(message)")
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let boundPort = withUnsafePointer(to: &bound) { pointer -> UInt16 in
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        listener = fd
        self.host = host
        self.port = Int(boundPort)
    }

    public func start() {
        let thread = Thread { [self] in play() }
        thread.name = "tagway-replay-llrp"
        thread.start()
    }

    public func stop() { stopped.withLock { $0 = true } }

    public func wait() {
        finished.wait()
        finished.signal()
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    /// The records of each connection, from its `open` to its `close`.
    static func connections(_ records: [CaptureRecord]) -> [[CaptureRecord]] {
        var out: [[CaptureRecord]] = []
        var current: [CaptureRecord] = []
        for record in records {
            if record.kind == .open, !current.isEmpty {
                out.append(current)
                current = []
            }
            current.append(record)
            if record.kind == .close {
                out.append(current)
                current = []
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private func play() {
        for (index, records) in connections.enumerated() {
            guard let client = accept() else { break }
            serve(client, records)
            close(client)
            onConnectionPlayed?(index + 1)
        }
        // Played: later clients are refused (closed at once) until stopped.
        while !isStopped {
            if let client = accept() { close(client) }
        }
        close(listener)
        finished.signal()
    }

    private func accept() -> Int32? {
        while !isStopped {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) > 0 else { continue }
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return fd
            }
        }
        return nil
    }

    private func serve(_ client: Int32, _ records: [CaptureRecord]) {
        let origin = ContinuousClock.now
        let opened = records.first?.time ?? Timestamp(milliseconds: 0)
        // The reader's clock as far ahead of its recording as this connection is (see `LLRPClockShift`).
        let since = SystemClock.now().milliseconds.saturatingSubtract(opened.milliseconds)
        let (product, overflow) = since.multipliedReportingOverflow(by: 1000)
        let shift = overflow ? (since < 0 ? Int64.min : Int64.max) : product
        var reader = LLRPMessageReader(fd: client)
        var ids: [UInt32: UInt32] = [:]
        for record in records {
            guard !isStopped else { return }
            switch record.kind {
            case .tx:
                guard let received = reader.next(until: { self.isStopped }) else { return }
                if let recorded = Self.messageID(record.payload), let actual = Self.messageID(received) { ids[recorded] = actual }
            case .llrp, .rx:
                sleep(until: origin + CaptureCues.scaled(record.time - opened, speed))
                var bytes = record.kind == .llrp ? LLRPClockShift.shifted(record.payload, by: shift) : record.payload
                if record.kind == .llrp, let recorded = Self.messageID(bytes), let actual = ids[recorded] { Self.setMessageID(&bytes, actual) }
                guard send(client, bytes) else { return }
            case .close:
                sleep(until: origin + CaptureCues.scaled(record.time - opened, speed))
                return
            case .open, .hid:
                continue
            }
        }
    }

    private func sleep(until deadline: ContinuousClock.Instant) {
        while !isStopped {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return }
            Thread.sleep(forTimeInterval: min(0.05, Double(remaining.wholeMilliseconds) / 1000 + 0.001))
        }
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(fd, base.advanced(by: offset), raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    static func messageID(_ message: [UInt8]) -> UInt32? {
        guard message.count >= 10 else { return nil }
        return UInt32(message[6]) << 24 | UInt32(message[7]) << 16 | UInt32(message[8]) << 8 | UInt32(message[9])
    }

    static func setMessageID(_ message: inout [UInt8], _ id: UInt32) {
        guard message.count >= 10 else { return }
        message[6] = UInt8(truncatingIfNeeded: id >> 24)
        message[7] = UInt8(truncatingIfNeeded: id >> 16)
        message[8] = UInt8(truncatingIfNeeded: id >> 8)
        message[9] = UInt8(truncatingIfNeeded: id)
    }
}
