/// A serial reader given by its USB identity instead of a port (`usb: { serial: A12345 }`):
/// the tty it has now is looked up at each open, so `ttyUSB0` becoming `ttyUSB1` after a reboot
/// or a replug into another port changes nothing.
public struct USBSerialPortMatch: Hashable, Sendable {
    /// The USB serial number (iSerial; udev's ID_SERIAL_SHORT).
    public var serial: String
    /// Optional: only a bridge with these ids, when two vendors' devices share a serial number.
    public var vendorID: UInt16?
    public var productID: UInt16?
    /// Optional: the USB interface, for bridges with several ports under one serial number.
    public var interface: Int?

    public init(serial: String, vendorID: UInt16? = nil, productID: UInt16? = nil, interface: Int? = nil) {
        self.serial = serial
        self.vendorID = vendorID
        self.productID = productID
        self.interface = interface
    }

    /// Whether a tty with this USB identity (its USB ancestor's) is the reader's.
    public func matches(serial: String?, vendorID: UInt16?, productID: UInt16?, interface: Int?) -> Bool {
        guard serial == self.serial else { return false }
        if let wanted = self.vendorID, vendorID != wanted { return false }
        if let wanted = self.productID, productID != wanted { return false }
        if let wanted = self.interface, interface != wanted { return false }
        return true
    }

    /// `usb serial A12345` (with the ids and interface when given), for logs and status.
    public var description: String {
        var text = "usb serial \(serial)"
        if let vendorID, let productID {
            text += " (\(USBMatch(vendorID: vendorID, productID: productID).idText))"
        } else if let vendorID {
            text += " (vendor \(USBMatch(vendorID: vendorID, productID: 0).idText.prefix(4)))"
        }
        if let interface { text += " interface \(interface)" }
        return text
    }
}
