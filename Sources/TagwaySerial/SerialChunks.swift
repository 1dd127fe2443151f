import Foundation

/// Bytes read from a port and not yet taken by its reader session, bounded by a byte budget.
///
/// When the session falls behind the port (a burst faster than decoding and logging), the port's
/// read source is paused at `budget` bytes and resumed once half is taken: the bytes wait in the
/// kernel's tty buffer, where the line's flow control (RTS/CTS, XON/XOFF, a pty's blocking
/// writer) holds the device back. Memory stays at `budget` plus one read, and Tagway itself
/// discards nothing; `pauses` counts how often the session fell behind, for health.
public final class SerialChunks: AsyncSequence, @unchecked Sendable {
    public typealias Element = [UInt8]

    public let budget: Int
    private let lock = NSLock()
    private var queue: [[UInt8]] = []
    private var head = 0
    private var bytes = 0
    private var paused = false
    private var closing = false
    private var end: Result<Void, any Error>?
    private var waiter: CheckedContinuation<[UInt8]?, any Error>?
    private var pauseSource: () -> Void = {}
    private var resumeSource: () -> Void = {}
    private var pauseCount = 0
    private var peak = 0

    init(budget: Int) {
        self.budget = Swift.max(1, budget)
    }

    /// The source to pause and resume; set once before the source is activated.
    func attach(pause: @escaping () -> Void, resume: @escaping () -> Void) {
        pauseSource = pause
        resumeSource = resume
    }

    /// The most bytes ever held at once (at most `budget` plus one read).
    public var peakBytes: Int { lock.withLock { peak } }
    /// How many times the port was paused because the session was behind.
    public var pauses: Int { lock.withLock { pauseCount } }

    /// Hands a read to the session; false when the budget is reached and the source was paused
    /// (the caller stops reading until the session catches up).
    func push(_ chunk: [UInt8]) -> Bool {
        lock.lock()
        if closing {
            lock.unlock()
            return false
        }
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(returning: chunk)
            return true
        }
        queue.append(chunk)
        bytes += chunk.count
        peak = Swift.max(peak, bytes)
        guard bytes >= budget else {
            lock.unlock()
            return true
        }
        // Paused under the lock, so a resume can never come before its pause.
        paused = true
        pauseCount += 1
        pauseSource()
        lock.unlock()
        return false
    }

    /// Ends the sequence after the bytes still held: normally, or with `error`.
    func finish(throwing error: (any Error)? = nil) {
        lock.lock()
        if end == nil { end = error.map { .failure($0) } ?? .success(()) }
        let ending = end!
        let waiter = queue.count == head ? self.waiter : nil
        if waiter != nil { self.waiter = nil }
        lock.unlock()
        if let waiter { Self.deliverEnd(ending, to: waiter) }
    }

    /// Stops taking reads and resumes a paused source so it can be cancelled (a suspended source
    /// never runs its cancel handler).
    func releaseForCancel() {
        lock.withLock {
            closing = true
            if paused {
                paused = false
                resumeSource()
            }
        }
    }

    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                lock.lock()
                if head < queue.count {
                    let chunk = takeLocked()
                    lock.unlock()
                    continuation.resume(returning: chunk)
                } else if let end {
                    lock.unlock()
                    Self.deliverEnd(end, to: continuation)
                } else if Task.isCancelled {
                    lock.unlock()
                    continuation.resume(returning: nil)
                } else {
                    waiter = continuation
                    lock.unlock()
                }
            }
        } onCancel: {
            let waiter = lock.withLock {
                let waiting = self.waiter
                self.waiter = nil
                return waiting
            }
            waiter?.resume(returning: nil)
        }
    }

    private func takeLocked() -> [UInt8] {
        let chunk = queue[head]
        head += 1
        bytes -= chunk.count
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        if paused && bytes <= budget / 2 {
            paused = false
            resumeSource()
        }
        return chunk
    }

    private static func deliverEnd(_ end: Result<Void, any Error>, to continuation: CheckedContinuation<[UInt8]?, any Error>) {
        switch end {
        case .success: continuation.resume(returning: nil)
        case .failure(let error): continuation.resume(throwing: error)
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: SerialChunks
        public mutating func next() async throws -> [UInt8]? { try await chunks.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: self) }
}
