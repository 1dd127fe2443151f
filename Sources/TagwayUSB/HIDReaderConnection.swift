import CLibUSB
import Synchronization
import TagwayHID
import TagwayModel

/// A libusb device handle that may cross threads: libusb handles are thread-safe.
struct LibUSBHandle: @unchecked Sendable {
    let raw: OpaquePointer
}

/// One open USB HID reader: the interface claimed from the kernel's HID driver (so scans are
/// not also typed into a console), its report descriptor, and interrupt transfers in flight
/// whose reports arrive on `events`.
///
/// Open with `open(_:context:)`; always `close()`, which cancels the transfers, releases the
/// interface and gives it back to the kernel driver.
public final class HIDReaderConnection: Sendable {
    public let device: HIDReaderDevice
    /// The interface's HID report descriptor; empty when the device would not give it.
    public let reportDescriptor: [UInt8]
    /// What the descriptor says the reader is.
    public let readerKind: HIDReaderKind
    /// Reports in arrival order, then at most one `.disconnected`; finishes on `close()`.
    public let events: AsyncStream<HIDReaderEvent>
    /// Reports dropped because `events` was not read fast enough (its buffer is bounded).
    public var droppedReports: Int { ring.droppedReports }

    /// Reports buffered for a slow consumer before newer ones are dropped.
    public static let eventBufferLimit = 4096

    private let context: USBContext
    private let handle: LibUSBHandle
    private let ring: InterruptTransferRing
    private let continuation: AsyncStream<HIDReaderEvent>.Continuation
    private let closed = Atomic<Bool>(false)

    init(
        context: USBContext, handle: LibUSBHandle, device: HIDReaderDevice, reportDescriptor: [UInt8],
        readerKind: HIDReaderKind, endpoint: UInt8, packetSize: Int, transfers: Int,
        clock: @escaping @Sendable () -> Timestamp
    ) throws(USBError) {
        self.context = context
        self.handle = handle
        self.device = device
        self.reportDescriptor = reportDescriptor
        self.readerKind = readerKind
        let (stream, continuation) = AsyncStream.makeStream(
            of: HIDReaderEvent.self, bufferingPolicy: .bufferingOldest(Self.eventBufferLimit))
        self.events = stream
        self.continuation = continuation
        ring = try InterruptTransferRing(
            handle: handle.raw, endpoint: endpoint, packetSize: packetSize, count: transfers,
            device: device.id, path: device.path, clock: clock, continuation: continuation)
    }

    func start() throws(USBError) {
        do {
            try ring.submitAll()
        } catch {
            ring.free()
            throw error
        }
    }

    /// Cancels the transfers, waits for libusb to return them, releases the interface (libusb
    /// re-attaches the kernel driver it detached) and closes the handle. Safe to call twice.
    /// Must not be called from the libusb event thread.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await ring.cancelAll()
        let handle = self.handle
        let ring = self.ring
        let interface = Int32(device.interfaceNumber)
        await BlockingCall.run {
            ring.free()
            _ = libusb_release_interface(handle.raw, interface)
            libusb_close(handle.raw)
        }
        continuation.finish()
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            // Not closed: the handle leaks rather than being closed under running transfers.
            continuation.finish()
        }
    }
}
