import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns signals into calls on a dispatch queue instead of in a signal handler: SIGINT/SIGTERM
/// stop the tool commands (demo, simulate, events --follow); SIGHUP reloads `tagway run`
/// (`ConfigReloader`), whose SIGTERM/SIGINT belong to swift-service-lifecycle (`GatewayService`).
public final class SignalWatcher: @unchecked Sendable {
    // @unchecked: `sources` is written only in init; DispatchSource may be cancelled from any thread.
    private var sources: [any DispatchSourceSignal] = []

    public init(signals: [Int32] = [SIGINT, SIGTERM], onSignal: @escaping @Sendable (Int32) -> Void) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { onSignal(sig) }
            source.activate()
            sources.append(source)
        }
    }

    public func cancel() {
        sources.forEach { $0.cancel() }
    }
}
