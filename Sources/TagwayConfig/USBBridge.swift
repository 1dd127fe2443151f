/// A USB-serial bridge chip a serial reader ships on (a profile's `bridges:`): what the udev
/// rules match to give the reader's tty to the gateway, to keep ModemManager off it and to name it.
///
/// A bridge's ids say which chip, not which reader: a CH340 on an RDM6300 board and one on a
/// UHF module look the same, so a bridge never picks a profile (see `USBMatch` for that).
public struct USBBridge: Hashable, Sendable {
    public var vendorID: UInt16
    public var productID: UInt16
    /// The chip, as people call it: `CH340`, `CP2102`, `FT231X`.
    public var name: String

    public init(vendorID: UInt16, productID: UInt16, name: String) {
        self.vendorID = vendorID
        self.productID = productID
        self.name = name
    }

    /// Bridges with several UARTs behind one USB device (FT2232, FT4232): every port carries
    /// the same USB serial number, so a name built from it needs the interface number too.
    public static let multiPort: Set<UInt32> = [0x0403_6010, 0x0403_6011]

    public var key: UInt32 { UInt32(vendorID) << 16 | UInt32(productID) }
    public var isMultiPort: Bool { Self.multiPort.contains(key) }

    /// `1a86:7523`, as lsusb prints it.
    public var idText: String { USBMatch(vendorID: vendorID, productID: productID).idText }
}
