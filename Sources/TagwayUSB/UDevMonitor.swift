import CUDev
import Dispatch
import Glibc
import Synchronization

/// libudev handles, touched only on the monitor's queue.
private struct UDevHandles: @unchecked Sendable {
    let udev: OpaquePointer
    let monitor: OpaquePointer
}

/// The dispatch source watching the monitor's socket; dispatch sources are thread-safe.
private struct ReadSource: @unchecked Sendable {
    let source: DispatchSourceRead
}

/// Watches USB devices and serial ports come and go, through a libudev netlink monitor.
///
/// The monitor's socket is watched by a dispatch read source, so the kernel wakes it when an
/// event arrives and nothing runs in between. It listens to udev's events (after rules have
/// set the node's group and mode), not the kernel's raw ones, so a reader it announces can
/// already be opened. Several consumers can `subscribe()`; each gets every event.
public final class UDevMonitor: Sendable {
    /// Events held for a subscriber that is not reading; the oldest are dropped first.
    public static let bufferLimit = 1024

    private let handles: UDevHandles
    private let queue = DispatchQueue(label: "tagway.udev-monitor")
    private let reader: ReadSource
    private let subscribers = Mutex<(next: Int, all: [Int: AsyncStream<UDevEvent>.Continuation])>((0, [:]))

    /// Watches `usb` (whole devices, not interfaces) and `tty` by default.
    public init(subsystems: [String] = ["usb", "tty"]) throws(UDevError) {
        guard let udev = udev_new() else { throw UDevError(operation: "udev_new", errno: Glibc.errno) }
        guard let monitor = udev_monitor_new_from_netlink(udev, "udev") else {
            udev_unref(udev)
            throw UDevError(operation: "udev_monitor_new_from_netlink", errno: Glibc.errno)
        }
        for subsystem in subsystems {
            _ = udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem, subsystem == "usb" ? "usb_device" : nil)
        }
        let status = udev_monitor_enable_receiving(monitor)
        guard status >= 0 else {
            udev_monitor_unref(monitor)
            udev_unref(udev)
            throw UDevError(operation: "udev_monitor_enable_receiving", errno: -status)
        }
        let handles = UDevHandles(udev: udev, monitor: monitor)
        self.handles = handles
        let source = DispatchSource.makeReadSource(fileDescriptor: udev_monitor_get_fd(monitor), queue: queue)
        reader = ReadSource(source: source)
        source.setEventHandler { [weak self] in self?.drain() }
        source.setCancelHandler {
            udev_monitor_unref(handles.monitor)
            udev_unref(handles.udev)
        }
        source.resume()
    }

    /// A stream of every event from now on; it ends when the caller stops iterating or the
    /// monitor stops.
    public func subscribe() -> AsyncStream<UDevEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: UDevEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferLimit))
        let id = subscribers.withLock { state -> Int in
            state.next += 1
            state.all[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.all.removeValue(forKey: id) }
        }
        return stream
    }

    /// Closes the socket and ends every subscription.
    public func stop() {
        reader.source.cancel()
        let all = subscribers.withLock { state in
            defer { state.all = [:] }
            return Array(state.all.values)
        }
        for continuation in all { continuation.finish() }
    }

    deinit { stop() }

    /// Reads every queued event (the socket is non-blocking) and hands each to all subscribers.
    private func drain() {
        while let raw = udev_monitor_receive_device(handles.monitor) {
            defer { udev_device_unref(raw) }
            guard let device = UDevDevice(raw) else { continue }
            let action = UDevDevice.text(udev_device_get_action(raw)).flatMap(UDevAction.init(rawValue:)) ?? .unknown
            let event = UDevEvent(action: action, device: device)
            for continuation in subscribers.withLock({ Array($0.all.values) }) { continuation.yield(event) }
        }
    }
}
