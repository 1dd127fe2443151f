/// Reads a serial reader's `usb: { serial: A12345, vendorId: 0x0403, productId: 0x6001, interface: 0 }`.
enum USBSerialPortReader {
    static func read(_ value: YAMLValue) -> USBSerialPortMatch? {
        guard let map = value.mapping(allowed: ["serial", "vendorId", "productId", "interface"]) else { return nil }
        guard let serialNode = map["serial"] else {
            value.error("a serial reader found on USB needs its USB serial number",
                        expected: "usb: { serial: A12345 } (`tagway devices` shows it), or port: instead")
            return nil
        }
        // Scalars such as 0001 arrive as text; a serial number is text whatever it looks like.
        guard let serial = serialNode.string(maxLength: 128) else { return nil }
        var match = USBSerialPortMatch(serial: serial)
        if let node = map["vendorId"] { match.vendorID = node.int(in: 0...0xFFFF).map(UInt16.init) }
        if let node = map["productId"] { match.productID = node.int(in: 0...0xFFFF).map(UInt16.init) }
        if let node = map["interface"] { match.interface = node.int(in: 0...255) }
        return match
    }
}
