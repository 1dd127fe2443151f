import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes when one file is rewritten, without polling: inotify on the file's directory (editors
/// and config management replace files by rename, which a watch on the file itself would lose),
/// keeping only events that name the file. Writes to other files there (the event log's WAL when
/// the config lives in the data directory) are ignored.
final class ConfigFileWatcher: @unchecked Sendable {
    private let source: any DispatchSourceRead
    private let changes: AsyncStream<Void>
    private var iterator: AsyncStream<Void>.Iterator

    init(file: String) throws {
        let url = URL(fileURLWithPath: file)
        let name = url.lastPathComponent
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard inotify_add_watch(fd, url.deletingLastPathComponent().path, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)) >= 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        changes = stream
        iterator = stream.makeAsyncIterator()
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var touched = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                touched = touched || Self.names(in: buffer[..<count]).contains(name)
            }
            if touched { continuation.yield() }
        }
        source.setCancelHandler {
            close(fd)
            continuation.finish()
        }
        source.activate()
    }

    /// The file names of the `inotify_event` records in `bytes` (wd, mask, cookie, len, name).
    static func names(in bytes: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        var at = bytes.startIndex
        let header = 16
        while at + header <= bytes.endIndex {
            let length = bytes[(at + 12)..<(at + 16)].withUnsafeBytes { Int($0.loadUnaligned(as: UInt32.self)) }
            let nameBytes = bytes[(at + header)..<min(bytes.endIndex, at + header + length)]
            out.append(String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self))
            at += header + length
        }
        return out
    }

    /// Waits for the next change of the file; false once stopped.
    func next() async -> Bool {
        await iterator.next() != nil
    }

    func stop() { source.cancel() }
}
