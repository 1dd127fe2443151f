import CLibUSB

/// The parts of a HID interface's descriptors needed to read it, taken from libusb's cached
/// configuration descriptor (no device I/O).
struct HIDInterfaceInfo: Sendable {
    var number: Int
    var subclass: UInt8
    var protocolCode: UInt8
    var endpoint: UInt8
    var packetSize: Int
    /// From the HID class descriptor in the interface's extra bytes (type 0x21): the length of
    /// the report descriptor (type 0x22).
    var reportDescriptorLength: Int

    /// Boot-interface subclass 1, protocol 1: a keyboard that speaks the 8-byte boot format.
    var isBootKeyboard: Bool { subclass == 1 && protocolCode == 1 }

    /// The interface `wanted` (or the first HID interface) of the active configuration, with its
    /// first interrupt IN endpoint. Nil when there is no such HID interface.
    static func find(in device: OpaquePointer, wanted: Int?) -> HIDInterfaceInfo? {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        guard libusb_get_active_config_descriptor(device, &config) == 0, let config else { return nil }
        defer { libusb_free_config_descriptor(config) }
        for index in 0..<Int(config.pointee.bNumInterfaces) {
            let interface = config.pointee.interface[index]
            guard interface.num_altsetting > 0 else { continue }
            let setting = interface.altsetting[0]
            guard setting.bInterfaceClass == UInt8(LIBUSB_CLASS_HID.rawValue) else { continue }
            if let wanted, Int(setting.bInterfaceNumber) != wanted { continue }
            for e in 0..<Int(setting.bNumEndpoints) {
                let endpoint = setting.endpoint[e]
                let isIn = endpoint.bEndpointAddress & 0x80 != 0
                let isInterrupt = endpoint.bmAttributes & 0x03 == UInt8(LIBUSB_TRANSFER_TYPE_INTERRUPT.rawValue)
                guard isIn && isInterrupt else { continue }
                return HIDInterfaceInfo(
                    number: Int(setting.bInterfaceNumber), subclass: setting.bInterfaceSubClass,
                    protocolCode: setting.bInterfaceProtocol, endpoint: endpoint.bEndpointAddress,
                    packetSize: max(8, Int(endpoint.wMaxPacketSize & 0x07FF)),
                    reportDescriptorLength: reportLength(setting.extra, Int(setting.extra_length)))
            }
        }
        return nil
    }

    private static func reportLength(_ extra: UnsafePointer<UInt8>?, _ count: Int) -> Int {
        guard let extra else { return 0 }
        var offset = 0
        while offset + 1 < count, extra[offset] > 0 {
            let length = Int(extra[offset])
            if extra[offset + 1] == 0x21, length >= 9, offset + 8 < count, extra[offset + 6] == 0x22 {
                return Int(extra[offset + 7]) | Int(extra[offset + 8]) << 8
            }
            offset += length
        }
        return 0
    }
}
