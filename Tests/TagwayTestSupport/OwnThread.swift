import Foundation

/// Runs a blocking call (a socket read or connect, a sleep, a child's exit) on a thread of its
/// own and awaits its result.
///
/// Why: the test process runs every test at once on Swift concurrency's cooperative pool, which
/// has one thread per core (two on the CI machine). A blocking call made in an async test holds
/// one of them for as long as it blocks. Two such calls at once stop every other test of the
/// process, and a read that waits for an in-process server's answer then waits out its whole
/// timeout, since the server's handler needs a pool thread to answer: CI saw 60 s stalls of the
/// whole run this way, and tests on `eventually` deadlines failing after them.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.name = "test blocking call"
        thread.start()
    }
}

/// `onOwnThread` for work that cannot throw.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.name = "test blocking call"
        thread.start()
    }
}
