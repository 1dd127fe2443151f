import Foundation
import Synchronization

/// Bytes read from a port and not yet taken by its reader session, bounded by a byte budget.
///
/// When the session falls behind the port (a burst faster than decoding and logging), the port's
/// read source is paused at `budget` bytes and resumed once half is taken: the bytes wait in the
/// kernel's tty buffer, where the line's flow control (RTS/CTS, XON/XOFF, a pty's blocking
/// writer) holds the device back. Memory stays at `budget` plus one read, and Tagway itself
/// discards nothing; `pauses` counts how often the session fell behind, for health.
///
/// A TCP reader (LLRP) uses the same budget with a socket as the source: its channel reads only
/// on demand, so a pause leaves the bytes in the kernel's socket buffer and TCP's window holds
/// the reader back.
///
/// `@unchecked`: everything that changes is behind `state`'s mutex, except the source's pause and
/// resume closures, which `attach` sets once before the source is activated (nothing reads them
/// before) and nothing writes after.
public final class SerialChunks: AsyncSequence, @unchecked Sendable {
    public typealias Element = [UInt8]

    private struct State {
        var queue: [[UInt8]] = []
        var head = 0
        var bytes = 0
        var paused = false
        var closing = false
        var end: Result<Void, any Error>?
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
        var pauseCount = 0
        var peak = 0
    }

    public let budget: Int
    private let state = Mutex(State())
    private var pauseSource: () -> Void = {}
    private var resumeSource: () -> Void = {}

    public init(budget: Int) {
        self.budget = Swift.max(1, budget)
    }

    /// The source to pause and resume; set once before the source is activated.
    public func attach(pause: @escaping () -> Void, resume: @escaping () -> Void) {
        pauseSource = pause
        resumeSource = resume
    }

    /// The most bytes ever held at once (at most `budget` plus one read).
    public var peakBytes: Int { state.withLock { $0.peak } }
    /// How many times the port was paused because the session was behind.
    public var pauses: Int { state.withLock { $0.pauseCount } }

    /// Hands a read to the session; false when the budget is reached and the source was paused
    /// (the caller stops reading until the session catches up).
    public func push(_ chunk: [UInt8]) -> Bool {
        enum Outcome { case refused, handed(CheckedContinuation<[UInt8]?, any Error>), queued, paused }
        let budget = budget
        let outcome = state.withLock { state -> Outcome in
            if state.closing { return .refused }
            if let waiter = state.waiter {
                state.waiter = nil
                return .handed(waiter)
            }
            state.queue.append(chunk)
            state.bytes += chunk.count
            state.peak = Swift.max(state.peak, state.bytes)
            guard state.bytes >= budget else { return .queued }
            // Paused under the lock, so a resume can never come before its pause.
            state.paused = true
            state.pauseCount += 1
            pauseSource()
            return .paused
        }
        switch outcome {
        case .refused, .paused: return false
        case .queued: return true
        case .handed(let waiter):
            waiter.resume(returning: chunk)
            return true
        }
    }

    /// Ends the sequence after the bytes still held: normally, or with `error`.
    public func finish(throwing error: (any Error)? = nil) {
        let (ending, waiter) = state.withLock { state -> (Result<Void, any Error>, CheckedContinuation<[UInt8]?, any Error>?) in
            let ending = state.end ?? error.map { .failure($0) } ?? .success(())
            state.end = ending
            let waiter = state.queue.count == state.head ? state.waiter : nil
            if waiter != nil { state.waiter = nil }
            return (ending, waiter)
        }
        if let waiter { Self.deliverEnd(ending, to: waiter) }
    }

    /// Stops taking reads and resumes a paused source so it can be cancelled (a suspended source
    /// never runs its cancel handler).
    public func releaseForCancel() {
        state.withLock {
            $0.closing = true
            if $0.paused {
                $0.paused = false
                resumeSource()
            }
        }
    }

    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                enum Outcome { case chunk([UInt8]), end(Result<Void, any Error>), cancelled, waiting }
                let outcome = state.withLock { state -> Outcome in
                    if state.head < state.queue.count { return .chunk(take(&state)) }
                    if let end = state.end { return .end(end) }
                    if Task.isCancelled { return .cancelled }
                    state.waiter = continuation
                    return .waiting
                }
                switch outcome {
                case .chunk(let chunk): continuation.resume(returning: chunk)
                case .end(let end): Self.deliverEnd(end, to: continuation)
                case .cancelled: continuation.resume(returning: nil)
                case .waiting: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                let waiting = state.waiter
                state.waiter = nil
                return waiting
            }
            waiter?.resume(returning: nil)
        }
    }

    private func take(_ state: inout State) -> [UInt8] {
        let chunk = state.queue[state.head]
        state.head += 1
        state.bytes -= chunk.count
        if state.head == state.queue.count {
            state.queue.removeAll(keepingCapacity: true)
            state.head = 0
        }
        if state.paused && state.bytes <= budget / 2 {
            state.paused = false
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
