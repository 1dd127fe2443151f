import Logging
import TagwayConfig
import TagwayHID
import TagwayModel
import TagwayProtocols
import TagwayUSB

/// Keeps one configured USB HID reader feeding the pipeline, the USB counterpart of
/// `SerialReaderSession`.
///
/// The reconnect logic lives in `HIDReaderSession` (it opens the reader when udev or libusb
/// announce it, marks it disconnected when its transfers fail with no-device, after every report
/// that completed before the unplug); this type turns its events into pipeline input, reader
/// health and log lines. It never polls: it waits on the session's event stream.
struct HIDReaderSessionRunner: Sendable {
    let reader: ReaderConfig
    let session: HIDReaderSession
    let pipeline: Pipeline
    let health: HealthBoard
    let logger: Logger
    let clock: @Sendable () -> Timestamp

    /// The session for `reader`, or nil (logged) when its profile cannot be read as a HID reader.
    init?(reader: ReaderConfig, usb: USBContext, udev: UDevMonitor?, pipeline: Pipeline, health: HealthBoard,
          logger: Logger, clock: @escaping @Sendable () -> Timestamp) {
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
        self.clock = clock
        session = HIDReaderSession(configuration: HIDReaderConfiguration(match: device, decoding: decoding),
                                   context: usb, monitor: udev, clock: clock)
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

    private func handle(_ event: HIDReaderSessionEvent) async {
        let id = reader.id
        switch event {
        case .waiting(let match):
            health.update(id) {
                $0.connected = false
                $0.lastError = "not attached"
            }
            logger.info("reader \(id): waiting for \(match) to be plugged in")
        case .connected(let device, let kind):
            let now = clock()
            health.update(id) {
                if $0.connectedSince != nil { $0.reconnects += 1 }
                $0.connected = true
                $0.connectedSince = now
                $0.path = device.path
                $0.lastError = nil
            }
            logger.info("reader \(id): connected \(device.id) \(device.product ?? "") serial \(device.serial ?? "-") at \(device.path) port \(device.port), interface \(device.interfaceNumber) (\(kind.name))")
        case .frame(let frame, let time):
            let frames = [Self.observation(frame, technology: reader.profile.technology)]
            health.framesReceived(id, count: 1, at: time)
            let point = reader
            await pipeline.ingest(reader: id, readPoint: { point.readPoint(antenna: $0) }, frames: frames, time: time)
        case .disconnected(let error):
            health.update(id) {
                $0.connected = false
                $0.lastError = error.description
                $0.errors[error.kind.rawValue, default: 0] += 1
            }
            logger.warning("reader \(id): disconnected (\(error)); waiting for it to come back")
        case .openFailed(let error, let retryIn):
            health.update(id) {
                $0.connected = false
                $0.lastError = error.description
                $0.errors[error.kind.rawValue, default: 0] += 1
            }
            let when = retryIn.map { "retrying in \($0)" } ?? "retrying when it is plugged in again"
            logger.error("reader \(id): cannot open: \(error); \(when)")
        }
        let statistics = session.statistics
        health.update(id) { h in
            for (key, count) in Self.problems(statistics) where count > 0 {
                h.errors[key] = count
                h.decodeDrops[key] = count
            }
        }
    }

    /// The decoder's counters that mean scans went missing or were garbled, as health error keys.
    static func problems(_ s: HIDDecoderStatistics) -> [(String, Int)] {
        [("truncated-scan", s.truncatedScans), ("overlong-scan", s.overlongScans), ("unmapped-key", s.unmappedKeys),
         ("malformed-report", s.malformedReports), ("error-report", s.errorReports)]
    }

    /// A keyboard-wedge EM4100 reader types the card. Ten hex digits are the whole 40-bit EM4100
    /// id (version byte and card number), what a serial ID-12LA sends: they become an `em4100`
    /// tag, so the card has the same asset key on either reader. Anything else (8 digits, a
    /// reader typing something unexpected) stays a barcode scan with its text as the key:
    /// guessing a version byte would invent an id. Readers set to type the 32-bit card number in
    /// decimal (ten decimal digits) also match the rule: their key is stable per card but is not
    /// the key a serial reader gives that card.
    static func observation(_ frame: ReaderFrame, technology: String?) -> ReaderFrame {
        guard technology == TagObservation.Technology.em4100.rawValue, case .barcode(let scan) = frame,
              scan.symbology == nil, scan.data.count == 10, let id = TagID(hex: scan.text)
        else { return frame }
        return .tag(TagObservation(technology: .em4100, id: id))
    }
}
