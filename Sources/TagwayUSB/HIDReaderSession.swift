import Synchronization
import TagwayCapture
import TagwayHID
import TagwayModel
import TagwayRuntime
import TagwaySessions

/// Inputs of a session's loop, from every source it waits on, merged into one stream so the
/// loop handles them strictly one at a time.
enum SessionInput: Sendable {
    /// A udev event of a USB device (the loop keeps the configured reader's).
    case udev(UDevEvent)
    /// libusb's hot-plug saw a device with the configured ids arrive.
    case usbArrived
    /// The connection's transfers failed (`.noDevice`: unplugged), after all its reports.
    case lost(ConnectionID, USBError, at: Timestamp)
    /// Input already in the machine's terms: a report, a timer.
    case machine(ReaderSessionInput)
    case stop
}

/// Keeps one configured USB HID reader running for as long as the gateway runs: opens it when
/// it is attached (at start or when plugged in later), decodes its reports into scans, marks
/// it disconnected when it is unplugged (mid-scan included: completed scans are delivered, the
/// partial one dropped), and resumes it when it comes back.
///
/// ```swift
/// let session = HIDReaderSession(configuration: config, context: usb, monitor: udev)
/// for await event in session.start() { ... }   // until `await session.stop()`
/// ```
public final class HIDReaderSession: Sendable {
    public let configuration: HIDReaderConfiguration
    private let context: USBContext
    private let monitor: UDevMonitor?
    private let clock: GatewayClock
    /// Where the reader's reports are recorded (`capture:`); nil: not recorded.
    private let capture: (any CaptureRecording)?
    private let shared = Mutex<Shared>(Shared())

    private struct Shared {
        var statistics = HIDDecoderStatistics()
        var inputs: AsyncStream<SessionInput>.Continuation?
        var loop: Task<Void, Never>?
        var started = false
    }

    /// `monitor` may be shared by every session of the gateway; without one the session relies
    /// on libusb's hot-plug notification alone.
    public init(
        configuration: HIDReaderConfiguration, context: USBContext, monitor: UDevMonitor?,
        clock: @escaping @Sendable () -> Timestamp = SystemClock.now, timers: any Clock<Duration> = ContinuousClock(),
        capture: (any CaptureRecording)? = nil
    ) {
        self.capture = capture
        self.configuration = configuration
        self.context = context
        self.monitor = monitor
        self.clock = GatewayClock(wall: clock, monotonic: timers)
    }

    /// Decoder counters over the session's life (all connections).
    public var statistics: HIDDecoderStatistics { shared.withLock { $0.statistics } }

    /// Starts the session (once) and returns its events. Subscriptions to hot-plug are in place
    /// before this returns, so a reader plugged in right after is not missed.
    public func start() -> AsyncStream<HIDReaderSessionEvent> {
        let (events, output) = AsyncStream.makeStream(of: HIDReaderSessionEvent.self, bufferingPolicy: .bufferingOldest(4096))
        let (inputStream, inputs) = AsyncStream.makeStream(of: SessionInput.self)
        let alreadyStarted = shared.withLock { state -> Bool in
            defer { state.started = true }
            return state.started
        }
        guard !alreadyStarted else {
            output.finish()
            return events
        }
        var feeders: [Task<Void, Never>] = []
        if let udev = monitor?.subscribe() {
            feeders.append(Task {
                for await event in udev where event.device.isUSBDevice { inputs.yield(.udev(event)) }
            })
        }
        let match = configuration.match
        let watch = try? USBHotplugWatch(context: context, vendorID: match.vendorID, productID: match.productID)
        if let watch {
            feeders.append(Task {
                for await event in watch.events where event == .arrived { inputs.yield(.usbArrived) }
            })
        }
        output.onTermination = { _ in inputs.yield(.stop) }
        let task = Task { [self] in
            var loop = SessionLoop(configuration: configuration, context: context, clock: clock, output: output, inputs: inputs)
            loop.capture = capture
            await loop.run(inputStream) { statistics in self.shared.withLock { $0.statistics = statistics } }
            watch?.cancel()
            for feeder in feeders { feeder.cancel() }
            output.finish()
            inputs.finish()
        }
        shared.withLock {
            $0.inputs = inputs
            $0.loop = task
        }
        return events
    }

    /// Closes the reader (giving it back to the kernel driver) and ends the event stream.
    public func stop() async {
        let (inputs, loop) = shared.withLock { ($0.inputs, $0.loop) }
        inputs?.yield(.stop)
        await loop?.value
    }
}
