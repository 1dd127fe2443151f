import Foundation
import Testing
import TagwayConfig
import TagwayGateway
import TagwayUSB

/// Profiles for the inventory tests: the shipped ones plus a serial reader on an FTDI bridge
/// that pins its product string (as a profile for a generic bridge must).
private func profiles() throws -> [DeviceProfile] {
    var all = Array(try DeviceProfileLoader.load(directory: GatewayUnderTestbed.repositoryDevices).values)
    all.append(DeviceProfile(id: "test/id12la-ftdi", name: "ID-12LA on an FTDI board", transport: .serial,
                             protocolID: "em4100-ascii", technology: "em4100",
                             usb: USBMatch(vendorID: 0x0403, productID: 0x6001, product: "ID-12LA reader"), file: "test"))
    return all
}

private func readers(_ yaml: String) throws -> [ReaderConfig] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-inventory-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(atPath: GatewayUnderTestbed.repositoryDevices, toPath: directory.path)
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("test"), withIntermediateDirectories: true)
    try """
        id: test/id12la-ftdi
        name: ID-12LA on an FTDI board
        transport: serial
        protocol: em4100-ascii
        technology: em4100
        usb: { vendorId: 0x0403, productId: 0x6001, product: "ID-12LA reader" }
        serial: { baud: 9600 }
        """.write(to: directory.appendingPathComponent("test/id12la-ftdi.yaml"), atomically: true, encoding: .utf8)
    return try GatewayConfigLoader.parse("gateway: { id: t, dataDir: /tmp/t }\nreaders:\n" + yaml, file: "/etc/tagway/gw.yaml",
                                         devicesDir: directory.path).readers
}

private func device(_ subsystem: String, _ vendor: UInt16, _ product: UInt16, devnode: String,
                    serial: String? = nil, name: String? = nil) -> UDevDevice {
    var d = UDevDevice(subsystem: subsystem, syspath: "/sys/devices/usb1/\(devnode)", sysname: devnode)
    d.vendorID = vendor
    d.productID = product
    d.devnode = devnode
    d.serial = serial
    d.product = name
    return d
}

@Suite struct DeviceInventoryTests {
    @Test func usbHIDReaderMatchesItsProfileAndTheConfiguredReader() throws {
        let inventory = DeviceInventory(profiles: try profiles(), readers: try readers("""
              - { id: desk-scan, profile: zebra/ls2208-keyboard, usb: { serial: S0001 } }
            """))
        let first = inventory.entry(for: device("usb", 0x05e0, 0x1200, devnode: "/dev/bus/usb/001/002", serial: "S0001"))
        #expect(first.profile?.id == "zebra/ls2208-keyboard")
        #expect(first.reader?.id == "desk-scan")
        #expect(!first.isUnconfiguredReader)
        let second = inventory.entry(for: device("usb", 0x05e0, 0x1200, devnode: "/dev/bus/usb/001/003", serial: "S0002"))
        #expect(second.profile?.id == "zebra/ls2208-keyboard")
        #expect(second.reader == nil, "the reader pins serial S0001")
        #expect(second.isUnconfiguredReader)
        #expect(second.readerSuggestion == "- { id: <name>, profile: zebra/ls2208-keyboard, usb: { serial: \"S0002\" }, readPoint: <read point> }")
    }

    @Test func aGenericBridgeIsOnlyAReaderWithTheProductStringItsProfileNames() throws {
        let inventory = DeviceInventory(profiles: try profiles())
        #expect(inventory.profile(for: device("tty", 0x0403, 0x6001, devnode: "/dev/ttyUSB0", name: "ID-12LA reader"))?.id
                == "test/id12la-ftdi")
        #expect(inventory.profile(for: device("tty", 0x0403, 0x6001, devnode: "/dev/ttyUSB1", name: "FT232R USB UART")) == nil)
        #expect(inventory.profile(for: device("usb", 0x0403, 0x6001, devnode: "/dev/bus/usb/001/005", name: "ID-12LA reader")) == nil,
                "the bridge's USB device is not the reader; its tty is")
        #expect(inventory.profile(for: device("usb", 0x1234, 0x5678, devnode: "/dev/bus/usb/001/006")) == nil)
    }

    @Test func aSerialReaderIsConfiguredThroughItsPortOrASymlinkToIt() throws {
        let configured = try readers("""
              - { id: badge, profile: test/id12la-ftdi, port: /dev/tagway/badge }
            """)
        let tty = device("tty", 0x0403, 0x6001, devnode: "/dev/ttyUSB0", name: "ID-12LA reader")
        let linked = DeviceInventory(profiles: try profiles(), readers: configured) { $0 == "/dev/tagway/badge" ? "/dev/ttyUSB0" : $0 }
        #expect(linked.entry(for: tty).reader?.id == "badge")
        let elsewhere = DeviceInventory(profiles: try profiles(), readers: configured) { $0 }
        #expect(elsewhere.entry(for: tty).reader == nil)
        #expect(elsewhere.entry(for: tty).readerSuggestion?.contains("port: /dev/ttyUSB0") == true)
    }
}
