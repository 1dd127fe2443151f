import CLibUSB
import Testing
import TagwayUSB

@Suite("USB device matching and errors")
struct USBDeviceMatchTests {
    private func device(_ vendor: UInt16, _ product: UInt16, serial: String? = nil, name: String? = nil) -> UDevDevice {
        var device = UDevDevice(subsystem: "usb", syspath: "/sys/devices/pci0000:00/usb1/1-1", sysname: "1-1")
        device.vendorID = vendor
        device.productID = product
        device.serial = serial
        device.product = name
        return device
    }

    @Test func idsSerialAndProductString() {
        let any = USBDeviceMatch(vendorID: 0x05E0, productID: 0x1200)
        #expect(any.matches(device(0x05E0, 0x1200, serial: "S1")))
        #expect(!any.matches(device(0x05E0, 0x1201)))
        let one = USBDeviceMatch(vendorID: 0x05E0, productID: 0x1200, serial: "S2", product: "Scanner")
        #expect(!one.matches(device(0x05E0, 0x1200, serial: "S1")))
        #expect(one.matches(device(0x05E0, 0x1200, serial: "S2", name: "Scanner")))
        #expect(!one.matches(device(0x05E0, 0x1200, serial: "S2", name: "Other")))
        #expect(one.matches(device(0x05E0, 0x1200)), "a remove event without strings is not ruled out")
        #expect(one.description == "05e0:1200 serial S2 \"Scanner\"")
    }

    @Test func libusbErrorsCarryNameKindAndContext() {
        let error = USBError(libusb: LIBUSB_ERROR_ACCESS.rawValue, operation: "libusb_open",
                             device: USBDeviceID(vendorID: 0x0C2E, productID: 0x0204), path: "/dev/bus/usb/001/007")
        #expect(error.kind == .access)
        #expect(error.description == "libusb_open of 0c2e:0204 at /dev/bus/usb/001/007: LIBUSB_ERROR_ACCESS")
        #expect(USBError(libusb: LIBUSB_ERROR_BUSY.rawValue, operation: "claim interface 0").kind == .busy)
        #expect(USBError(libusb: LIBUSB_ERROR_NO_DEVICE.rawValue, operation: "x").kind == .noDevice)
    }
}
