import CLibUSB
import Synchronization

/// libusb's own hot-plug notification for one vendor/product id.
///
/// The udev monitor sees a reader arrive first, but libusb may not have added it to its device
/// list yet at that moment; libusb calls this back only once it has, so a reader session that
/// failed to find a just-arrived device is certain to get a second chance. Callbacks run on the
/// context's event thread.
final class USBHotplugWatch: Sendable {
    enum Event: Sendable { case arrived, left }

    let events: AsyncStream<Event>
    private let context: USBContext
    private let registration = Mutex<libusb_hotplug_callback_handle?>(nil)
    private let box: Unmanaged<Box>

    fileprivate final class Box: Sendable {
        let continuation: AsyncStream<Event>.Continuation
        init(_ continuation: AsyncStream<Event>.Continuation) { self.continuation = continuation }
    }

    init(context: USBContext, vendorID: UInt16, productID: UInt16) throws(USBError) {
        self.context = context
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(16))
        events = stream
        box = Unmanaged.passRetained(Box(continuation))
        var handle = libusb_hotplug_callback_handle()
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        let status = libusb_hotplug_register_callback(
            context.pointer.raw, events, 0, Int32(vendorID), Int32(productID), LIBUSB_HOTPLUG_MATCH_ANY,
            hotplugCallback, box.toOpaque(), &handle)
        guard status == 0 else {
            box.release()
            continuation.finish()
            throw USBError(libusb: status, operation: "libusb_hotplug_register_callback",
                           device: USBDeviceID(vendorID: vendorID, productID: productID))
        }
        registration.withLock { $0 = handle }
    }

    /// Deregisters; libusb holds its callback lock while calling back, so once this returns the
    /// callback is not running and will not run again.
    func cancel() {
        guard let handle = registration.withLock({ current -> libusb_hotplug_callback_handle? in
            defer { current = nil }
            return current
        }) else { return }
        libusb_hotplug_deregister_callback(context.pointer.raw, handle)
        box.takeUnretainedValue().continuation.finish()
        box.release()
    }

    deinit { cancel() }
}

private func hotplugCallback(
    _ context: OpaquePointer?, _ device: OpaquePointer?, _ event: libusb_hotplug_event, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let userData else { return 0 }
    let continuation = Unmanaged<USBHotplugWatch.Box>.fromOpaque(userData).takeUnretainedValue().continuation
    continuation.yield(event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? .arrived : .left)
    return 0
}
