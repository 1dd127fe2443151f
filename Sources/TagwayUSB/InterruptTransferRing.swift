import CLibUSB
import Synchronization
import TagwayModel

/// A HID input report as libusb delivered it (report id first, when the device uses ids), with
/// the time it arrived.
public struct HIDInputReport: Hashable, Sendable {
    public var bytes: [UInt8]
    public var time: Timestamp
}

/// What an open HID reader produces.
public enum HIDReaderEvent: Hashable, Sendable {
    case report(HIDInputReport)
    /// The reader stopped: unplugged (`.noDevice`) or failing. Reported once, after every report
    /// that completed before it.
    case disconnected(USBError)
}

/// Asynchronous interrupt IN transfers kept in flight on one endpoint.
///
/// Several transfers are submitted at once so that a report arriving while the previous one is
/// being handed over still has a buffer waiting in the kernel. Each completion (on the libusb
/// event thread) yields the report and resubmits the transfer, under a lock that `cancel` also
/// takes, so a transfer is never resubmitted after it was cancelled.
final class InterruptTransferRing: @unchecked Sendable {
    private struct State {
        var inFlight = 0
        var closing = false
        var ended = false
        var consecutiveErrors = 0
        var retained = false
        var drained: CheckedContinuation<Void, Never>?
    }

    /// A transfer failing this many times in a row (without a report between) ends the reader.
    static let errorLimit = 8

    // Written once in init, then read-only: safe to share with the event thread.
    private var transfers: [UnsafeMutablePointer<libusb_transfer>] = []
    private let state = Mutex(State())
    private let dropped = Atomic<Int>(0)
    private let continuation: AsyncStream<HIDReaderEvent>.Continuation
    private let clock: @Sendable () -> Timestamp
    private let device: USBDeviceID
    private let path: String

    init(
        handle: OpaquePointer, endpoint: UInt8, packetSize: Int, count: Int,
        device: USBDeviceID, path: String, clock: @escaping @Sendable () -> Timestamp,
        continuation: AsyncStream<HIDReaderEvent>.Continuation
    ) throws(USBError) {
        self.continuation = continuation
        self.clock = clock
        self.device = device
        self.path = path
        let userData = Unmanaged.passUnretained(self).toOpaque()
        for _ in 0..<count {
            guard let transfer = libusb_alloc_transfer(0) else {
                free()
                throw USBError(kind: .other, operation: "libusb_alloc_transfer", name: "LIBUSB_ERROR_NO_MEM", device: device, path: path)
            }
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: packetSize)
            libusb_fill_interrupt_transfer(transfer, handle, endpoint, buffer, Int32(packetSize), transferCompleted, userData, 0)
            transfers.append(transfer)
        }
    }

    var droppedReports: Int { dropped.load(ordering: .relaxed) }

    /// Submits the transfers; throws only when none could be. While any is in flight the ring
    /// holds a reference to itself (released by `free()`), so a callback never outlives it.
    func submitAll() throws(USBError) {
        var failure: Int32 = 0
        let submitted = state.withLock { state -> Int in
            for transfer in transfers {
                let status = libusb_submit_transfer(transfer)
                if status != 0 { failure = status; break }
                state.inFlight += 1
            }
            if state.inFlight > 0 { state.retained = true }
            return state.inFlight
        }
        if submitted > 0 { _ = Unmanaged.passRetained(self) }
        if submitted == 0 { throw USBError(libusb: failure, operation: "submit interrupt transfer", device: device, path: path) }
    }

    /// Called by libusb on its event thread.
    fileprivate func completed(_ transfer: UnsafeMutablePointer<libusb_transfer>) {
        let status = transfer.pointee.status
        var keepGoing = false
        var failure: USBError?
        switch status {
        case LIBUSB_TRANSFER_COMPLETED:
            let length = Int(transfer.pointee.actual_length)
            if length > 0 {
                let bytes = Array(UnsafeBufferPointer(start: transfer.pointee.buffer, count: length))
                if case .dropped = continuation.yield(.report(HIDInputReport(bytes: bytes, time: clock()))) {
                    dropped.add(1, ordering: .relaxed)
                }
            }
            keepGoing = true
        case LIBUSB_TRANSFER_TIMED_OUT:
            keepGoing = true
        case LIBUSB_TRANSFER_CANCELLED:
            keepGoing = false
        case LIBUSB_TRANSFER_NO_DEVICE, LIBUSB_TRANSFER_STALL:
            failure = USBError(transferStatus: status, device: device, path: path)
        default:
            failure = USBError(transferStatus: status, device: device, path: path)
            keepGoing = true
        }
        let end: USBError? = state.withLock { state in
            var end: USBError?
            if status == LIBUSB_TRANSFER_COMPLETED { state.consecutiveErrors = 0 }
            if keepGoing, failure != nil {
                state.consecutiveErrors += 1
                keepGoing = state.consecutiveErrors < Self.errorLimit
            }
            if keepGoing && !state.closing && !state.ended {
                let resubmit = libusb_submit_transfer(transfer)
                if resubmit == 0 { return nil }
                failure = USBError(libusb: resubmit, operation: "resubmit interrupt transfer", device: device, path: path)
            }
            if let failure, !state.ended, !state.closing {
                state.ended = true
                end = failure
            }
            state.inFlight -= 1
            if state.inFlight == 0, let drained = state.drained {
                state.drained = nil
                drained.resume()
            }
            return end
        }
        if let end { continuation.yield(.disconnected(end)) }
    }

    /// Cancels the transfers and returns when libusb has given every one of them back.
    func cancelAll() async {
        let busy = state.withLock { state -> Bool in
            state.closing = true
            for transfer in transfers { _ = libusb_cancel_transfer(transfer) }
            return state.inFlight > 0
        }
        guard busy else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.withLock { state in
                if state.inFlight == 0 { continuation.resume() } else { state.drained = continuation }
            }
        }
    }

    /// Frees the transfers and their buffers. Only after `cancelAll()` returned (or when none
    /// was ever submitted).
    func free() {
        let retained = state.withLock { state -> Bool in
            defer { state.retained = false }
            return state.retained
        }
        for transfer in transfers {
            transfer.pointee.buffer.deallocate()
            libusb_free_transfer(transfer)
        }
        transfers = []
        if retained { Unmanaged.passUnretained(self).release() }
    }
}

private func transferCompleted(_ transfer: UnsafeMutablePointer<libusb_transfer>?) {
    guard let transfer, let userData = transfer.pointee.user_data else { return }
    Unmanaged<InterruptTransferRing>.fromOpaque(userData).takeUnretainedValue().completed(transfer)
}
