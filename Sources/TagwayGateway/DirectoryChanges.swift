import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TagwayRuntime

/// An inotify watch on one directory whose events ring a `Wakeup`; the kernel wakes the dispatch
/// source only when something happens there. With `names`, only events naming one of those
/// files count (the log's WAL, not status.json's temp beside it).
///
/// With `spacing`, the watch rests that long after each wake: its source is suspended, the
/// kernel folds the repeated events of one file into one while nobody reads them, and the rest
/// ends with at most one wake for all of them. The gateway watches its log's WAL for other
/// processes' appends, and its own commits modify the WAL too: about 750 a second at 10,000
/// reads/s, each a dispatch thread woken on the pipeline's core (read→durable p50 0.42–0.48 ms
/// without the watch against 0.64–0.69 ms with it, interleaved).
// @unchecked: the properties are `let`s set in init; the resting state is under its own lock.
final class DirectoryChanges: @unchecked Sendable {
    private let source: any DispatchSourceRead
    private let wakeup = Wakeup()
    private let queue = DispatchQueue.global()
    /// `resting`: the source is suspended until the spacing passes; `cancelled`: it is not resumed.
    private let state = Mutex((resting: false, cancelled: false, wakes: 0))

    /// A file created, deleted or renamed in the directory, or the directory itself moved or deleted.
    static let entries = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
    /// A file in the directory written to.
    static let writes = UInt32(IN_MODIFY)

    init?(_ directory: String, mask: UInt32 = DirectoryChanges.entries, names: Set<String>? = nil, spacing: DispatchTimeInterval? = nil) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            close(fd)
            return nil
        }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self, wakeup] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            var touched = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                touched = touched || names.map { !$0.isDisjoint(with: Self.names(in: buffer[..<count])) } ?? true
            }
            guard touched else { return }
            wakeup.ring()
            self?.rang(restingFor: spacing)
        }
        source.setCancelHandler { close(fd) }
        source.activate()
    }

    deinit { cancel() }

    /// How many times the watch rang: for tests and diagnostics.
    var wakes: Int { state.withLock { $0.wakes } }

    /// True after a change (or one since the last wait), false when the task was cancelled.
    func wait() async -> Bool { await wakeup.wait(timeout: nil) }

    /// Cancels the watch; a resting source is resumed, so its descriptor closes (libdispatch runs
    /// no cancel handler of a suspended source, and traps when one is released). Suspending and
    /// resuming happen under the state's lock: never one resume too many.
    func cancel() {
        state.withLock { s in
            guard !s.cancelled else { return }
            s.cancelled = true
            source.cancel()
            if s.resting {
                s.resting = false
                source.resume()
            }
        }
    }

    /// Called on the source's queue after a wake: counts it, and suspends the source for `spacing`.
    private func rang(restingFor spacing: DispatchTimeInterval?) {
        state.withLock { s in
            s.wakes += 1
            guard let spacing, !s.cancelled, !s.resting else { return }
            s.resting = true
            source.suspend()
            queue.asyncAfter(deadline: .now() + spacing) { [weak self] in self?.endRest() }
        }
    }

    private func endRest() {
        state.withLock { s in
            guard s.resting, !s.cancelled else { return }
            s.resting = false
            source.resume()
        }
    }

    /// The names in a buffer of `struct inotify_event` records (wd, mask, cookie, len: four
    /// 32-bit words in the machine's order, little-endian on every Linux Tagway runs on; then
    /// `len` bytes of NUL-padded name). A record cut short ends the walk.
    static func names(in bytes: ArraySlice<UInt8>) -> [String] {
        var names: [String] = []
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= 16 {
            let length = (12..<16).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * ($1 - 12)) }
            let start = offset + 16
            guard length <= bytes.endIndex - start else { break }
            names.append(String(decoding: bytes[start..<(start + length)].prefix { $0 != 0 }, as: UTF8.self))
            offset = start + length
        }
        return names
    }
}
