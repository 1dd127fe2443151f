import CUDev
import Glibc
import TagwayHID

extension UDevEnumerator {
    /// The HID interfaces under a USB device, from the `report_descriptor` files usbhid exposes
    /// in sysfs: `tagway devices` can tell a HID POS scanner from a keyboard-mode one without
    /// detaching any driver. Empty when no HID driver is bound (e.g. while the gateway reads it).
    static func hidInterfaces(_ udev: OpaquePointer, under device: OpaquePointer) -> [UDevHIDInterface] {
        guard let enumerate = udev_enumerate_new(udev) else { return [] }
        defer { udev_enumerate_unref(enumerate) }
        _ = udev_enumerate_add_match_parent(enumerate, device)
        _ = udev_enumerate_add_match_subsystem(enumerate, "hid")
        guard udev_enumerate_scan_devices(enumerate) >= 0 else { return [] }
        var found: [UDevHIDInterface] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            defer { entry = udev_list_entry_get_next(current) }
            guard let syspath = udev_list_entry_get_name(current),
                  let hid = udev_device_new_from_syspath(udev, syspath)
            else { continue }
            defer { udev_device_unref(hid) }
            let bytes = readFile(String(cString: syspath) + "/report_descriptor")
            guard !bytes.isEmpty else { continue }
            let interface = udev_device_get_parent_with_subsystem_devtype(hid, "usb", "usb_interface")
                .flatMap { UDevDevice.attribute($0, "bInterfaceNumber") }.flatMap { Int($0, radix: 16) }
            do {
                let kind = try HIDReportDescriptor(bytes: bytes).readerKind
                found.append(UDevHIDInterface(interfaceNumber: interface, kind: kind))
            } catch {
                found.append(UDevHIDInterface(interfaceNumber: interface, kind: .other, descriptorError: error))
            }
        }
        return found
    }

    /// A binary sysfs attribute (libudev's attribute values stop at the first zero byte).
    private static func readFile(_ path: String) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
