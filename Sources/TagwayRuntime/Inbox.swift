/// The one queue a shell's loop reads its inputs from (timers, udev, the device's reader task,
/// stop), so its state machine sees them strictly one at a time.
///
/// `deliver` waits until the loop has handled the element: a serial port's reader task uses it
/// so the port is not read faster than the pipeline takes frames (the port then pauses and says
/// so, instead of this queue growing). `post` does not wait (timers, udev, stop).
public final class Inbox<Element: Sendable>: Sendable {
    public struct Delivery: Sendable {
        public let element: Element
        let handled: CheckedContinuation<Void, Never>?

        /// Releases the `deliver` call that sent this; call once, after handling the element.
        public func done() { handled?.resume() }
    }

    public let deliveries: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation

    public init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Delivery.self)
        deliveries = stream
        self.continuation = continuation
    }

    /// Queues `element` without waiting; dropped once the inbox is closed.
    public func post(_ element: Element) {
        continuation.yield(Delivery(element: element, handled: nil))
    }

    /// Queues `element` and returns when the loop has handled it (at once when the inbox is closed).
    public func deliver(_ element: Element) async {
        await withCheckedContinuation { (handled: CheckedContinuation<Void, Never>) in
            if case .terminated = continuation.yield(Delivery(element: element, handled: handled)) { handled.resume() }
        }
    }

    /// Ends the stream: the reader sees the elements already queued (and must `done()` them), then nil.
    public func close() {
        continuation.finish()
    }
}
