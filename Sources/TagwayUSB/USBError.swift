import CLibUSB

/// A vendor and product id pair, printed the way `lsusb` and udev rules spell it: `05e0:1200`.
public struct USBDeviceID: Hashable, Sendable, CustomStringConvertible {
    public var vendorID: UInt16
    public var productID: UInt16

    public init(vendorID: UInt16, productID: UInt16) {
        self.vendorID = vendorID
        self.productID = productID
    }

    public var description: String { Self.hex4(vendorID) + ":" + Self.hex4(productID) }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// A USB failure with what was being done, to which device, at which path, and libusb's name
/// for the error, so a log line says "claim interface 0 of 05e0:1200 at /dev/bus/usb/001/002:
/// LIBUSB_ERROR_BUSY" rather than "error -6".
public struct USBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the caller can act on.
    public enum Kind: String, Hashable, Sendable {
        /// No attached device matches (not plugged in): wait for it to arrive.
        case notFound = "not-found"
        /// The device went away (unplugged mid-transfer).
        case noDevice = "no-device"
        /// Permission denied on the device node: udev rules or group membership missing.
        case access
        /// Another program or driver holds the interface.
        case busy
        case timeout
        /// The endpoint stalled.
        case stall
        case overflow
        case io
        /// The interface is not what the profile says (not HID, or not a HID POS scanner).
        case unsupportedInterface = "unsupported-interface"
        case other
    }

    public var kind: Kind
    /// What was being done: `libusb_open`, `claim interface 0`, `interrupt transfer`.
    public var operation: String
    /// libusb's error or transfer-status name (`LIBUSB_ERROR_ACCESS`, `LIBUSB_TRANSFER_NO_DEVICE`).
    public var name: String
    public var device: USBDeviceID?
    /// The usbfs node, `/dev/bus/usb/BBB/DDD`.
    public var path: String?

    public init(kind: Kind, operation: String, name: String, device: USBDeviceID? = nil, path: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.name = name
        self.device = device
        self.path = path
    }

    /// From a negative libusb return code.
    public init(libusb code: Int32, operation: String, device: USBDeviceID? = nil, path: String? = nil) {
        let kind: Kind
        switch code {
        case LIBUSB_ERROR_NOT_FOUND.rawValue: kind = .notFound
        case LIBUSB_ERROR_NO_DEVICE.rawValue: kind = .noDevice
        case LIBUSB_ERROR_ACCESS.rawValue: kind = .access
        case LIBUSB_ERROR_BUSY.rawValue: kind = .busy
        case LIBUSB_ERROR_TIMEOUT.rawValue: kind = .timeout
        case LIBUSB_ERROR_PIPE.rawValue: kind = .stall
        case LIBUSB_ERROR_OVERFLOW.rawValue: kind = .overflow
        case LIBUSB_ERROR_IO.rawValue: kind = .io
        default: kind = .other
        }
        self.init(kind: kind, operation: operation, name: String(cString: libusb_error_name(code)),
                  device: device, path: path)
    }

    /// From the status of a transfer that did not complete.
    init(transferStatus status: libusb_transfer_status, device: USBDeviceID?, path: String?) {
        let kind: Kind
        switch status {
        case LIBUSB_TRANSFER_NO_DEVICE: kind = .noDevice
        case LIBUSB_TRANSFER_STALL: kind = .stall
        case LIBUSB_TRANSFER_TIMED_OUT: kind = .timeout
        case LIBUSB_TRANSFER_OVERFLOW: kind = .overflow
        case LIBUSB_TRANSFER_ERROR: kind = .io
        default: kind = .other
        }
        self.init(kind: kind, operation: "interrupt transfer", name: String(cString: libusb_error_name(Int32(status.rawValue))),
                  device: device, path: path)
    }

    public var description: String {
        var text = operation
        if let device { text += " of \(device)" }
        if let path { text += " at \(path)" }
        return text + ": " + name
    }
}
