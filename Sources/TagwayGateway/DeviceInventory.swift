import Foundation
import TagwayConfig
import TagwayUSB

/// One attached device as `tagway devices` reports it: which profile it matched and which
/// configured reader, if any, is it.
public struct InventoryEntry: Sendable {
    public init(device: UDevDevice, profile: DeviceProfile? = nil, reader: ReaderConfig? = nil) {
        self.device = device
        self.profile = profile
        self.reader = reader
    }

    public var device: UDevDevice
    public var profile: DeviceProfile?
    public var reader: ReaderConfig?
    /// For a tty no profile identifies: the serial profiles that ship on its USB-serial bridge
    /// (candidates only: a CH340 may be behind any of them, or be no reader at all).
    public var bridgeProfiles: [DeviceProfile] = []

    /// A reader model Tagway knows that nobody configured: worth telling the facilities team.
    public var isUnconfiguredReader: Bool { profile != nil && reader == nil }

    /// The line a facilities team can paste under `readers:`.
    public var readerSuggestion: String? {
        guard let profile else { return nil }
        switch profile.transport {
        case .usbHID:
            let serial = device.serial.map { ", usb: { serial: \"\($0)\" }" } ?? ""
            return "- { id: <name>, profile: \(profile.id)\(serial), readPoint: <read point> }"
        case .serial:
            // A USB serial number finds the tty whatever its name; without one, the port it has now.
            let place = device.serial.map { "usb: { serial: \"\($0)\" }" } ?? "port: \(device.devnode ?? "<port>")"
            return "- { id: <name>, profile: \(profile.id), \(place), readPoint: <read point> }"
        case .llrp:
            return "- { id: <name>, profile: \(profile.id), host: <address>, readPoint: <read point> }"
        }
    }
}

/// Matches devices udev reports against the device profiles and the configured readers. Pure:
/// the same rules serve `tagway devices` (from an enumeration) and the gateway's report of
/// readers plugged in unconfigured (from hot-plug events).
public struct DeviceInventory: Sendable {
    public let profiles: [DeviceProfile]
    public let readers: [ReaderConfig]
    /// Resolves a configured port (often a /dev/tagway/ or /dev/serial/by-id/ symlink) to the
    /// node udev reports; injectable for tests.
    private let resolve: @Sendable (String) -> String

    public init(profiles: [DeviceProfile], readers: [ReaderConfig] = [],
                resolve: @escaping @Sendable (String) -> String = DeviceInventory.realPath) {
        self.profiles = profiles.sorted { $0.id < $1.id }
        self.readers = readers
        self.resolve = resolve
    }

    public func entry(for device: UDevDevice) -> InventoryEntry {
        guard let profile = profile(for: device) else {
            // A tty on a generic bridge is a reader when the configuration says so (by port or USB serial number).
            guard device.isSerialPort else { return InventoryEntry(device: device) }
            let reader = readers.first { $0.profile.transport == .serial && isSerialReader($0, device) }
            var entry = InventoryEntry(device: device, profile: reader?.profile, reader: reader)
            if reader == nil { entry.bridgeProfiles = bridgeProfiles(for: device) }
            return entry
        }
        return InventoryEntry(device: device, profile: profile, reader: reader(for: device, profile: profile))
    }

    /// The serial profiles whose `bridges:` list this tty's USB ids.
    public func bridgeProfiles(for device: UDevDevice) -> [DeviceProfile] {
        guard device.isSerialPort, let vendor = device.vendorID, let product = device.productID else { return [] }
        return profiles.filter { profile in
            profile.transport == .serial && profile.bridges.contains { $0.vendorID == vendor && $0.productID == product }
        }
    }

    func isSerialReader(_ reader: ReaderConfig, _ device: UDevDevice) -> Bool {
        if let match = reader.usbPort { return USBSerialPortLookup.matches(match, device) }
        guard let port = reader.port, let node = device.devnode else { return false }
        return port == node || resolve(port) == node
    }

    /// The profile describing `device`. USB HID profiles match whole USB devices; serial profiles
    /// match the tty of a USB-serial bridge (the bridge's USB device itself is not the reader).
    /// Product string and serial number, when a profile gives them, must match too: that is
    /// how generic bridges are told apart.
    public func profile(for device: UDevDevice) -> DeviceProfile? {
        guard let vendor = device.vendorID, let product = device.productID else { return nil }
        let transport: DeviceProfile.Transport
        if device.isUSBDevice { transport = .usbHID } else if device.isSerialPort { transport = .serial } else { return nil }
        return profiles.first { profile in
            guard profile.transport == transport, let usb = profile.usb,
                  usb.vendorID == vendor, usb.productID == product
            else { return false }
            if let wanted = usb.product, device.product != wanted { return false }
            if let wanted = usb.serial, device.serial != wanted { return false }
            if transport == .serial, let wanted = usb.interface, let seen = device.interfaceNumber, wanted != seen { return false }
            return true
        }
    }

    /// The configured reader that is `device`: same profile and USB identity (serial number when
    /// the reader pins one) for HID readers, same port for serial readers.
    public func reader(for device: UDevDevice, profile: DeviceProfile) -> ReaderConfig? {
        readers.first { reader in
            switch profile.transport {
            case .usbHID:
                guard reader.profile.transport == .usbHID, let usb = reader.usb ?? reader.profile.usb,
                      usb.vendorID == device.vendorID, usb.productID == device.productID
                else { return false }
                if let serial = usb.serial, device.serial != serial { return false }
                return true
            case .serial:
                return isSerialReader(reader, device)
            case .llrp:
                return false  // a network reader is never a local device (profile(for:) never picks it)
            }
        }
    }

    /// Every device in `devices` with its match.
    public func entries(_ devices: [UDevDevice]) -> [InventoryEntry] { devices.map(entry(for:)) }

    @Sendable public static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}
