import TagwayHID

/// A USB device or serial port as udev describes it: what `tagway devices` lists and what the
/// hot-plug monitor reports.
public struct UDevDevice: Hashable, Sendable {
    /// `usb` (whole USB devices only, not their interfaces) or `tty`.
    public var subsystem: String
    public var syspath: String
    /// `/dev/bus/usb/001/002`, `/dev/ttyUSB0`.
    public var devnode: String?
    /// The kernel name: `1-1.4`, `ttyUSB0`.
    public var sysname: String
    /// For a tty: the USB device it belongs to (a USB-serial bridge), else nil.
    public var usbSyspath: String?
    public var vendorID: UInt16?
    public var productID: UInt16?
    public var manufacturer: String?
    public var product: String?
    public var serial: String?
    public var busNumber: Int?
    public var deviceAddress: Int?
    /// For a tty: the number of the USB interface it hangs off (multi-port bridges have several).
    public var interfaceNumber: Int?
    public var driver: String?
    /// For a USB device found by `UDevEnumerator` while the kernel's HID driver has it: what
    /// each HID interface's report descriptor says it is (a keyboard, a HID POS scanner).
    public var hidInterfaces: [UDevHIDInterface] = []

    public init(subsystem: String, syspath: String, sysname: String) {
        self.subsystem = subsystem
        self.syspath = syspath
        self.sysname = sysname
    }

    public var id: USBDeviceID? {
        guard let vendorID, let productID else { return nil }
        return USBDeviceID(vendorID: vendorID, productID: productID)
    }

    public var isUSBDevice: Bool { subsystem == "usb" }
    public var isSerialPort: Bool { subsystem == "tty" }
}

/// One HID interface of a USB device, read from sysfs without opening the device.
public struct UDevHIDInterface: Hashable, Sendable {
    public var interfaceNumber: Int?
    public var kind: HIDReaderKind
    /// Why the report descriptor could not be parsed (kind is then `.other`): any device can be
    /// plugged in, so a hostile descriptor is reported for its device, never fatal.
    public var descriptorError: HIDDescriptorError?

    public init(interfaceNumber: Int?, kind: HIDReaderKind, descriptorError: HIDDescriptorError? = nil) {
        self.interfaceNumber = interfaceNumber
        self.kind = kind
        self.descriptorError = descriptorError
    }
}

/// What happened to a device.
public enum UDevAction: String, Hashable, Sendable {
    case add, remove, change, bind, unbind, move, online, offline
    case unknown
}

public struct UDevEvent: Hashable, Sendable {
    public var action: UDevAction
    public var device: UDevDevice
}

/// A libudev call that failed.
public struct UDevError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: String
    public var errno: Int32

    public var description: String { "\(operation) failed (errno \(errno))" }
}
