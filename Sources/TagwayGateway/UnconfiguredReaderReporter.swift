import Logging
import TagwayUSB

/// Logs readers Tagway has a profile for that no configured reader covers, at start and
/// whenever one is plugged in, with the line to add to the configuration: a facilities team
/// plugging a new scanner in sees in the gateway's log what to write, without reading lsusb.
struct UnconfiguredReaderReporter: Sendable {
    let inventory: DeviceInventory
    let logger: Logger

    /// Runs until cancelled. Subscribes before enumerating, so a device plugged in meanwhile is
    /// reported by one or the other; each device is reported once per arrival.
    func run(monitor: UDevMonitor?) async {
        let events = monitor?.subscribe()
        var reported: Set<String> = []
        do {
            for device in try UDevEnumerator.devices() { report(device, &reported) }
        } catch {
            logger.warning("cannot list attached devices: \(error)")
        }
        guard let events else { return }
        for await event in events {
            switch event.action {
            case .add:
                report(event.device, &reported)
            case .remove:
                reported.remove(event.device.syspath)
            default:
                break
            }
        }
    }

    private func report(_ device: UDevDevice, _ reported: inout Set<String>) {
        // Any device can be plugged in, a hostile one too: its descriptor is named, never fatal.
        for interface in device.hidInterfaces {
            guard let error = interface.descriptorError else { continue }
            let number = interface.interfaceNumber.map(String.init) ?? "?"
            logger.warning("\(device.devnode ?? device.syspath) (\(device.id?.description ?? "no USB id")) interface \(number): descriptor unreadable: \(error)")
        }
        let entry = inventory.entry(for: device)
        guard entry.isUnconfiguredReader, let profile = entry.profile, reported.insert(device.syspath).inserted else { return }
        let identity = [device.id?.description, device.serial.map { "serial \($0)" }, device.product.map { "\"\($0)\"" }]
            .compactMap { $0 }.joined(separator: " ")
        logger.notice("unconfigured \(profile.id) at \(device.devnode ?? device.syspath) (\(identity)): add a reader with profile: \(profile.id) to use it: \(entry.readerSuggestion ?? "")")
    }
}
