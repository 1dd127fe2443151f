import CLibUSB
import Synchronization

/// A libusb context pointer that may cross threads: libusb contexts are thread-safe.
struct LibUSBContextPointer: @unchecked Sendable {
    let raw: OpaquePointer
}

/// One libusb context and the one thread that handles its events.
///
/// libusb only completes transfers and reports hot-plug while some thread is inside
/// `libusb_handle_events`. That thread blocks in `poll()` on libusb's file descriptors (the usbfs
/// nodes, a timerfd, an event fd), so an idle gateway wakes only when the kernel has something:
/// a completed URB, a device change, or `libusb_interrupt_event_handler` at shutdown. There is
/// no polling loop and no sleep.
///
/// Every `HIDReaderConnection` keeps its context alive; the context shuts down when the last
/// reference goes, after all devices are closed.
public final class USBContext: Sendable {
    let pointer: LibUSBContextPointer
    private let eventThread: USBEventThread

    public init() throws(USBError) {
        var context: OpaquePointer?
        let status = libusb_init(&context)
        guard status == 0, let context else { throw USBError(libusb: status, operation: "libusb_init") }
        pointer = LibUSBContextPointer(raw: context)
        eventThread = USBEventThread(context: pointer)
        do {
            try eventThread.start()
        } catch {
            libusb_exit(context)
            throw error
        }
    }

    /// libusb's version, for logs.
    public static var libraryVersion: String {
        let version = libusb_get_version().pointee
        return "\(version.major).\(version.minor).\(version.micro)"
    }

    /// Event-handling errors since start (a failing `poll`); zero in a healthy gateway.
    public var eventErrors: Int { eventThread.errors }

    deinit {
        eventThread.stop()
        libusb_exit(pointer.raw)
    }
}
