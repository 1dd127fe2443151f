import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes when another process commits to the event log, without polling: inotify on the log's
/// directory reports every write to the WAL file.
final class LogChangeWatcher: @unchecked Sendable {
    private let fd: Int32
    private let source: any DispatchSourceRead
    private let changes: AsyncStream<Void>
    private var iterator: AsyncStream<Void>.Iterator

    init(directory: String) throws {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard inotify_add_watch(fd, directory, UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO)) >= 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        changes = stream
        iterator = stream.makeAsyncIterator()
        let fd = self.fd
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
            continuation.yield()
        }
        source.setCancelHandler {
            close(fd)
            continuation.finish()
        }
        source.activate()
    }

    /// Waits for the next change; false once stopped.
    func next() async -> Bool {
        await iterator.next() != nil
    }

    func stop() { source.cancel() }
}
