import CLibUSB
import Glibc
import Synchronization

/// The dedicated thread blocking in `libusb_handle_events_timeout_completed`.
final class USBEventThread: Sendable {
    /// How long one call may block. libusb's own timeouts (transfer timeouts) are on its timerfd,
    /// so this bounds nothing but the rare wake of an otherwise idle thread.
    private static let blockSeconds = 3600

    private let context: LibUSBContextPointer
    private let stopping = Atomic<Bool>(false)
    private let errorCount = Atomic<Int>(0)
    private let thread = Mutex<pthread_t?>(nil)

    init(context: LibUSBContextPointer) {
        self.context = context
    }

    var errors: Int { errorCount.load(ordering: .relaxed) }

    func start() throws(USBError) {
        var handle = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&handle, nil, { argument in
            // force-unwrap-ok: pthread_create passes `box`, never nil
            let me = Unmanaged<USBEventThread>.fromOpaque(argument!).takeRetainedValue()
            me.run()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<USBEventThread>.fromOpaque(box).release()
            throw USBError(kind: .other, operation: "start the libusb event thread", name: String(cString: strerror(status)))
        }
        thread.withLock { $0 = handle }
    }

    /// Wakes the thread out of `poll()` and waits for it to finish.
    func stop() {
        guard let handle = thread.withLock({ current -> pthread_t? in
            defer { current = nil }
            return current
        }) else { return }
        stopping.store(true, ordering: .releasing)
        libusb_interrupt_event_handler(context.raw)
        pthread_join(handle, nil)
    }

    private func run() {
        var timeout = timeval(tv_sec: Self.blockSeconds, tv_usec: 0)
        while !stopping.load(ordering: .acquiring) {
            let status = libusb_handle_events_timeout_completed(context.raw, &timeout, nil)
            if status != 0 && status != LIBUSB_ERROR_INTERRUPTED.rawValue {
                // Only a broken poll() gets here. Back off so that a persistent fault cannot spin;
                // this is the error path, never the idle one.
                errorCount.add(1, ordering: .relaxed)
                poll(nil, 0, 100)
            }
        }
    }
}
