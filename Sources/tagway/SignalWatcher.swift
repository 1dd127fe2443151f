import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT/SIGTERM into cancellation of a task, for a graceful stop (pending events written,
/// ports closed, kernel drivers re-attached) instead of death mid-write.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32] = [SIGINT, SIGTERM], onSignal: @escaping @Sendable (Int32) -> Void) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { onSignal(sig) }
            source.activate()
            sources.append(source)
        }
    }

    func cancel() {
        sources.forEach { $0.cancel() }
    }
}
