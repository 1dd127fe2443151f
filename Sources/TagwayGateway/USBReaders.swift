import Logging
import TagwayConfig
import TagwayModel
import TagwayRuntime
import TagwayUSB

/// The gateway's USB side: one libusb context and one udev monitor shared by every USB HID
/// reader session, and the report of known readers nobody configured.
enum USBReaders {
    /// The gateway's one udev monitor, created whatever readers are configured: it finds
    /// unconfigured readers and tells serial sessions their port is back. Nil on a machine
    /// without udev (a container): the gateway then runs without those, and the caller stops
    /// the monitor once its readers are done.
    static func monitor(logger: Logger) -> UDevMonitor? {
        do {
            return try UDevMonitor()
        } catch {
            logger.warning("no udev monitor (\(error)): USB readers plugged in later are found through libusb only, replugged serial readers after their backoff, and unconfigured readers are not reported")
            return nil
        }
    }

    /// Adds a task per configured USB HID reader and one for the unconfigured-reader report to
    /// `group`. The libusb context is created only when a USB reader is configured (it starts
    /// an event thread); without USB the gateway runs its other readers.
    static func start(config: GatewayConfig, monitor: UDevMonitor?, pipeline: Pipeline, health: HealthBoard, logger: Logger,
                      clock: GatewayClock, captures: CaptureRecorders? = nil, in group: inout TaskGroup<Void>) {
        let readers = config.readers.filter { $0.profile.transport == .usbHID }
        if !readers.isEmpty {
            do {
                let usb = try USBContext()
                logger.info("libusb \(USBContext.libraryVersion): \(readers.count) USB HID reader(s)")
                for reader in readers {
                    guard let runner = HIDReaderSessionRunner(reader: reader, usb: usb, udev: monitor, pipeline: pipeline,
                                                              health: health, logger: logger, clock: clock,
                                                              capture: captures?.recorder(for: reader.id))
                    else { continue }
                    group.addTask { await runner.run() }
                }
            } catch {
                logger.error("USB HID readers cannot be read: \(error)")
                for reader in readers {
                    health.register(reader.id, path: "usb")
                    health.update(reader.id) { $0.lastError = error.description }
                }
            }
        }
        // Every profile, not only the configured ones: the point is to name readers nobody configured.
        let profiles = (try? DeviceProfileLoader.load(directory: config.devicesDir)).map { Array($0.values) }
            ?? config.readers.map(\.profile)
        let reporter = UnconfiguredReaderReporter(inventory: DeviceInventory(profiles: profiles, readers: config.readers), logger: logger)
        group.addTask { await reporter.run(monitor: monitor) }
    }
}
