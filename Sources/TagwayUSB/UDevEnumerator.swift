import CUDev
import Glibc

/// Lists the USB devices and serial ports attached now, for `tagway devices` and for starting
/// readers that are already plugged in.
public enum UDevEnumerator {
    /// Whole USB devices (not interfaces), then serial ports. Virtual ttys (consoles, ptys) and
    /// the phantom 8250 ports the kernel always creates (`type` 0: no UART behind them) are left out.
    public static func devices() throws(UDevError) -> [UDevDevice] {
        try devices(in: [("usb", "usb_device"), ("tty", nil)])
    }

    /// Serial ports only, with their USB ancestor's identity: what a serial reader given by USB
    /// serial number looks its tty up in at each open (no HID descriptors read).
    public static func serialPorts() throws(UDevError) -> [UDevDevice] {
        try devices(in: [("tty", nil)])
    }

    private static func devices(in subsystems: [(String, String?)]) throws(UDevError) -> [UDevDevice] {
        guard let udev = udev_new() else { throw UDevError(operation: "udev_new", errno: Glibc.errno) }
        defer { udev_unref(udev) }
        var found: [UDevDevice] = []
        for (subsystem, devtype) in subsystems {
            guard let enumerate = udev_enumerate_new(udev) else { throw UDevError(operation: "udev_enumerate_new", errno: Glibc.errno) }
            defer { udev_enumerate_unref(enumerate) }
            _ = udev_enumerate_add_match_subsystem(enumerate, subsystem)
            if let devtype { _ = udev_enumerate_add_match_property(enumerate, "DEVTYPE", devtype) }
            let status = udev_enumerate_scan_devices(enumerate)
            guard status >= 0 else { throw UDevError(operation: "udev_enumerate_scan_devices", errno: -status) }
            var entry = udev_enumerate_get_list_entry(enumerate)
            while let current = entry {
                defer { entry = udev_list_entry_get_next(current) }
                guard let syspath = udev_list_entry_get_name(current),
                      let raw = udev_device_new_from_syspath(udev, syspath)
                else { continue }
                defer { udev_device_unref(raw) }
                guard var device = UDevDevice(raw), include(device, raw) else { continue }
                if device.isUSBDevice { device.hidInterfaces = hidInterfaces(udev, under: raw) }
                found.append(device)
            }
        }
        return found.sorted { ($0.subsystem, $0.syspath) < ($1.subsystem, $1.syspath) }
    }

    private static func include(_ device: UDevDevice, _ raw: OpaquePointer) -> Bool {
        guard device.isSerialPort else { return true }
        if device.syspath.contains("/devices/virtual/") { return false }
        if device.usbSyspath != nil { return true }
        return UDevDevice.attribute(raw, "type") != "0"
    }
}
