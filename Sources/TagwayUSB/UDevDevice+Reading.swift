import CUDev

extension UDevDevice {
    /// Reads a `udev_device`. USB identity comes from sysfs attributes while the device exists
    /// and from the event's properties when it does not (a remove event: sysfs is already gone,
    /// but the kernel's PRODUCT/BUSNUM/DEVNUM and udev's ID_* properties travel with the event).
    init?(_ device: OpaquePointer) {
        guard let subsystem = Self.text(udev_device_get_subsystem(device)),
              let syspath = Self.text(udev_device_get_syspath(device)),
              let sysname = Self.text(udev_device_get_sysname(device))
        else { return nil }
        self.init(subsystem: subsystem, syspath: syspath, sysname: sysname)
        devnode = Self.text(udev_device_get_devnode(device)) ?? Self.property(device, "DEVNAME").map { $0.hasPrefix("/") ? $0 : "/dev/" + $0 }
        driver = Self.text(udev_device_get_driver(device))
        if subsystem == "usb" {
            readUSB(device, properties: device)
        } else if let usb = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_device") {
            usbSyspath = Self.text(udev_device_get_syspath(usb))
            readUSB(usb, properties: device)
            if let interface = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_interface") {
                interfaceNumber = Self.attribute(interface, "bInterfaceNumber").flatMap { Int($0, radix: 16) }
            }
        } else {
            readUSB(nil, properties: device)
        }
        if interfaceNumber == nil, subsystem == "tty" {
            interfaceNumber = Self.property(device, "ID_USB_INTERFACE_NUM").flatMap { Int($0, radix: 16) }
        }
    }

    private mutating func readUSB(_ usb: OpaquePointer?, properties: OpaquePointer) {
        let attribute = { (name: String) in usb.flatMap { Self.attribute($0, name) } }
        vendorID = attribute("idVendor").flatMap { UInt16($0, radix: 16) }
            ?? Self.property(properties, "ID_VENDOR_ID").flatMap { UInt16($0, radix: 16) }
        productID = attribute("idProduct").flatMap { UInt16($0, radix: 16) }
            ?? Self.property(properties, "ID_MODEL_ID").flatMap { UInt16($0, radix: 16) }
        if vendorID == nil || productID == nil, let product = Self.property(properties, "PRODUCT") {
            // The kernel's "vid/pid/bcd" in hex without leading zeros.
            let parts = product.split(separator: "/")
            if parts.count >= 2 {
                vendorID = UInt16(parts[0], radix: 16)
                productID = UInt16(parts[1], radix: 16)
            }
        }
        manufacturer = attribute("manufacturer")
        product = attribute("product")
        serial = attribute("serial") ?? Self.property(properties, "ID_SERIAL_SHORT")
        busNumber = attribute("busnum").flatMap { Int($0) } ?? Self.property(properties, "BUSNUM").flatMap { Int($0) }
        deviceAddress = attribute("devnum").flatMap { Int($0) } ?? Self.property(properties, "DEVNUM").flatMap { Int($0) }
    }

    static func text(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    static func attribute(_ device: OpaquePointer, _ name: String) -> String? {
        text(udev_device_get_sysattr_value(device, name)).map { $0.trimmingWhitespace }
    }

    static func property(_ device: OpaquePointer, _ name: String) -> String? {
        text(udev_device_get_property_value(device, name))
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
