import CLibUSB
import TagwayHID
import TagwayModel
import TagwayRuntime

extension HIDReaderConnection {
    /// Finds the attached device that `match` names, opens it, claims its HID interface and
    /// starts `transfers` interrupt transfers. Throws `.notFound` when no such device is
    /// attached (the reader is not plugged in), `.access` when the node's permissions deny it.
    /// Blocks for a few control transfers: call it off the cooperative pool.
    public static func open(
        _ match: USBDeviceMatch, context: USBContext, transfers: Int = 2,
        clock: @escaping @Sendable () -> Timestamp = SystemClock.now
    ) throws(USBError) -> HIDReaderConnection {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context.pointer.raw, &list)
        guard count >= 0, let list else { throw USBError(libusb: Int32(truncatingIfNeeded: count), operation: "libusb_get_device_list") }
        defer { libusb_free_device_list(list, 1) }
        var lastError: USBError?
        for index in 0..<count {
            guard let device = list[index] else { continue }
            var descriptor = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &descriptor) == 0,
                  descriptor.idVendor == match.vendorID, descriptor.idProduct == match.productID
            else { continue }
            let path = usbfsPath(device)
            var opened: OpaquePointer?
            let status = libusb_open(device, &opened)
            guard status == 0, let opened else {
                lastError = USBError(libusb: status, operation: "libusb_open", device: match.id, path: path)
                continue
            }
            let manufacturer = string(opened, descriptor.iManufacturer)
            let product = string(opened, descriptor.iProduct)
            let serial = string(opened, descriptor.iSerialNumber)
            if (match.serial != nil && serial != match.serial) || (match.product != nil && product != match.product) {
                libusb_close(opened)
                continue
            }
            do throws(USBError) {
                guard let interface = HIDInterfaceInfo.find(in: device, wanted: match.interface) else {
                    throw USBError(kind: .unsupportedInterface, operation: "find a HID interface with an interrupt IN endpoint",
                                   name: "no HID interface", device: match.id, path: path)
                }
                let info = HIDReaderDevice(
                    id: match.id, manufacturer: manufacturer, product: product, serial: serial,
                    busNumber: Int(libusb_get_bus_number(device)), address: Int(libusb_get_device_address(device)),
                    path: path, port: portPath(device), interfaceNumber: interface.number,
                    kernelDriverWasActive: libusb_kernel_driver_active(opened, Int32(interface.number)) == 1)
                return try claim(LibUSBHandle(raw: opened), info, interface, context: context, transfers: transfers, clock: clock)
            } catch {
                libusb_close(opened)
                throw error
            }
        }
        throw lastError ?? USBError(kind: .notFound, operation: "find \(match)", name: "LIBUSB_ERROR_NOT_FOUND", device: match.id)
    }

    private static func claim(
        _ handle: LibUSBHandle, _ device: HIDReaderDevice, _ interface: HIDInterfaceInfo,
        context: USBContext, transfers: Int, clock: @escaping @Sendable () -> Timestamp
    ) throws(USBError) -> HIDReaderConnection {
        let number = Int32(interface.number)
        // libusb detaches usbhid when claiming and re-attaches it when the interface is released.
        _ = libusb_set_auto_detach_kernel_driver(handle.raw, 1)
        let claimed = libusb_claim_interface(handle.raw, number)
        guard claimed == 0 else {
            throw USBError(libusb: claimed, operation: "claim interface \(number)", device: device.id, path: device.path)
        }
        do throws(USBError) {
            if interface.isBootKeyboard {
                // SET_PROTOCOL(boot): the 8-byte report the keyboard decoder reads, whatever the
                // report descriptor adds (media keys, report ids).
                _ = libusb_control_transfer(handle.raw, 0x21, 0x0B, 0, UInt16(number), nil, 0, 1000)
            }
            // SET_IDLE(0): report only on change, so an idle reader sends nothing at all.
            _ = libusb_control_transfer(handle.raw, 0x21, 0x0A, 0, UInt16(number), nil, 0, 1000)
            let descriptor = reportDescriptor(handle.raw, interface)
            var kind = (try? HIDReportDescriptor(bytes: descriptor))?.readerKind ?? .other
            if interface.isBootKeyboard, case .other = kind { kind = .keyboard }
            let connection = try HIDReaderConnection(
                context: context, handle: handle, device: device, reportDescriptor: descriptor, readerKind: kind,
                endpoint: interface.endpoint, packetSize: interface.packetSize, transfers: max(1, transfers), clock: clock)
            try connection.start()
            return connection
        } catch {
            _ = libusb_release_interface(handle.raw, number)
            throw error
        }
    }

    /// GET_DESCRIPTOR(Report) on the interface; empty when the device stalls it.
    private static func reportDescriptor(_ handle: OpaquePointer, _ interface: HIDInterfaceInfo) -> [UInt8] {
        let length = interface.reportDescriptorLength > 0 ? interface.reportDescriptorLength : 4096
        var buffer = [UInt8](repeating: 0, count: length)
        let read = buffer.withUnsafeMutableBufferPointer { bytes in
            libusb_control_transfer(handle, 0x81, 0x06, 0x2200, UInt16(interface.number), bytes.baseAddress, UInt16(length), 1000)
        }
        return read > 0 ? Array(buffer.prefix(Int(read))) : []
    }

    private static func string(_ handle: OpaquePointer, _ index: UInt8) -> String? {
        guard index != 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { bytes in
            libusb_get_string_descriptor_ascii(handle, index, bytes.baseAddress, Int32(bytes.count))
        }
        return length > 0 ? String(decoding: buffer.prefix(Int(length)), as: UTF8.self) : nil
    }

    static func usbfsPath(_ device: OpaquePointer) -> String {
        func three(_ value: UInt8) -> String {
            let digits = String(value)
            return String(repeating: "0", count: 3 - digits.count) + digits
        }
        return "/dev/bus/usb/\(three(libusb_get_bus_number(device)))/\(three(libusb_get_device_address(device)))"
    }

    private static func portPath(_ device: OpaquePointer) -> String {
        var ports = [UInt8](repeating: 0, count: 8)
        let count = ports.withUnsafeMutableBufferPointer { libusb_get_port_numbers(device, $0.baseAddress, Int32($0.count)) }
        let chain = ports.prefix(Int(max(0, count))).map(String.init).joined(separator: ".")
        return "\(libusb_get_bus_number(device))-\(chain)"
    }
}
