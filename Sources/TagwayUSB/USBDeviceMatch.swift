/// Which USB device a configured reader is: vendor and product id, and the serial number when
/// several identical readers are attached (a profile may also pin the product string).
public struct USBDeviceMatch: Hashable, Sendable, CustomStringConvertible {
    public var vendorID: UInt16
    public var productID: UInt16
    public var serial: String?
    public var product: String?
    /// The interface to read; nil picks the first HID interface.
    public var interface: Int?

    public init(vendorID: UInt16, productID: UInt16, serial: String? = nil, product: String? = nil, interface: Int? = nil) {
        self.vendorID = vendorID
        self.productID = productID
        self.serial = serial
        self.product = product
        self.interface = interface
    }

    public var id: USBDeviceID { USBDeviceID(vendorID: vendorID, productID: productID) }

    public var description: String {
        var text = id.description
        if let serial { text += " serial \(serial)" }
        if let product { text += " \"\(product)\"" }
        return text
    }

    /// Whether a device udev reports could be this reader. Strings the event does not carry
    /// (a remove event has no sysfs to read) do not rule it out.
    public func matches(_ device: UDevDevice) -> Bool {
        guard device.vendorID == vendorID, device.productID == productID else { return false }
        if let serial, let seen = device.serial, seen != serial { return false }
        if let product, let seen = device.product, seen != product { return false }
        return true
    }
}

/// An opened HID reader, as the gateway logs it and `tagway devices` shows it.
public struct HIDReaderDevice: Hashable, Sendable {
    public var id: USBDeviceID
    public var manufacturer: String?
    public var product: String?
    public var serial: String?
    public var busNumber: Int
    public var address: Int
    /// The usbfs node, `/dev/bus/usb/BBB/DDD`.
    public var path: String
    /// The physical port chain, `1-1.4`: stable while the reader stays in the same socket.
    public var port: String
    public var interfaceNumber: Int
    /// The kernel's HID driver had the interface (and was detached so scans are not typed
    /// into a console); it is re-attached on close.
    public var kernelDriverWasActive: Bool
}
