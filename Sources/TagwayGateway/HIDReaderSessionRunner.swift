import Logging
import TagwayConfig
import TagwayHID
import TagwayModel
import TagwayProtocols
import TagwayRuntime
import TagwaySessions
import TagwayUSB

/// Keeps one configured USB HID reader feeding the pipeline, the USB counterpart of
/// `SerialReaderSession`.
///
/// The decisions live in `ReaderSessionMachine`, which `HIDReaderSession` runs over libusb (it
/// opens the reader when udev or libusb announce it, marks it disconnected when its transfers
/// fail with no-device, after every report that completed before the unplug); this type turns
/// its events into pipeline input, reader health and log lines. It never polls: it waits on the
/// session's event stream.
struct HIDReaderSessionRunner: Sendable {
    let reader: ReaderConfig
    let session: HIDReaderSession
    let pipeline: Pipeline
    let health: HealthBoard
    let logger: Logger
    let clock: @Sendable () -> Timestamp

    /// The session for `reader`, or nil (logged) when its profile cannot be read as a HID reader.
    init?(reader: ReaderConfig, usb: USBContext, udev: UDevMonitor?, pipeline: Pipeline, health: HealthBoard,
          logger: Logger, clock: GatewayClock, capture: CaptureRecorder? = nil) {
        guard let match = reader.usb ?? reader.profile.usb else {
            logger.error("reader \(reader.id): profile \(reader.profile.id) has no USB ids")
            return nil
        }
        // Validated when the configuration was loaded; a failure here is a profile the loader let through.
        guard let decoding = try? ProtocolRegistry.descriptor(for: reader.profile.protocolID)?.hid?.makeDecoding(reader.settings) else {
            logger.error("reader \(reader.id): protocol \(reader.profile.protocolID) cannot read these settings: \(reader.settings)")
            return nil
        }
        let device = USBDeviceMatch(vendorID: match.vendorID, productID: match.productID, serial: match.serial,
                                    product: match.product, interface: match.interface)
        self.reader = reader
        self.pipeline = pipeline
        self.health = health
        self.logger = logger
        self.clock = clock.wall
        let configuration = HIDReaderConfiguration(match: device, decoding: decoding, technology: reader.profile.technology)
        session = HIDReaderSession(configuration: configuration, context: usb, monitor: udev, clock: clock.wall,
                                   timers: clock.monotonic, capture: capture)
    }

    /// Runs until the task is cancelled. The events are consumed by a task of their own that is
    /// not cancelled: on stop the session closes the reader and ends its stream, and the scans
    /// still buffered in it reach the pipeline before this returns.
    func run() async {
        health.register(reader.id, path: "usb \(session.configuration.match)")
        let events = session.start()
        let consumer = Task { [self] in
            for await event in events { await handle(event) }
        }
        let session = self.session
        await withTaskCancellationHandler {
            await consumer.value
        } onCancel: {
            Task { await session.stop() }
        }
        await session.stop()
        health.update(reader.id) { $0.connected = false }
    }

    /// Health changes are the session machine's and are applied as they come; the other events
    /// are for the pipeline (scans) and the log.
    private func handle(_ event: HIDReaderSessionEvent) async {
        let id = reader.id
        switch event {
        case .health(let change):
            health.apply(change, to: id)
        case .waiting(let match):
            logger.info("reader \(id): waiting for \(match) to be plugged in")
        case .connected(let device, let kind):
            logger.info("reader \(id): connected \(device.id) \(device.product ?? "") serial \(device.serial ?? "-") at \(device.path) port \(device.port), interface \(device.interfaceNumber) (\(kind.name))")
        case .frame(let frame, let time):
            let point = reader
            await pipeline.ingest(reader: id, readPoint: { point.readPoint(antenna: $0) }, frames: [frame], time: time)
        case .disconnected(let error):
            logger.warning("reader \(id): disconnected (\(error)); waiting for it to come back")
        case .openFailed(let error, let retryIn):
            let when = retryIn.map { "retrying in \($0)" } ?? "retrying when it is plugged in again"
            logger.error("reader \(id): cannot open: \(error); \(when)")
        }
    }
}
