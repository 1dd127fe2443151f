import Foundation
import Testing
import TagwayConfig
import TagwayGateway
import TagwayUSB

/// Finding a serial reader's tty by USB serial number among the ports udev lists, and what
/// `tagway devices` says of a tty on a bridge that several profiles ship on.
@Suite struct SerialPortLookupTests {
    static func tty(_ node: String, serial: String?, _ vendor: UInt16 = 0x0403, _ product: UInt16 = 0x6001, interface: Int? = 0) -> UDevDevice {
        var d = UDevDevice(subsystem: "tty", syspath: "/sys/devices/usb1/1-4/1-4:1.0/\(node)", sysname: node)
        d.devnode = "/dev/" + node
        d.vendorID = vendor
        d.productID = product
        d.serial = serial
        d.interfaceNumber = interface
        return d
    }

    static let ports = [
        tty("ttyUSB0", serial: nil, 0x1A86, 0x7523),
        tty("ttyUSB1", serial: "A10K3ZQ9"),
        tty("ttyUSB2", serial: "0001", 0x10C4, 0xEA60),
        tty("ttyUSB3", serial: "0001", 0x10C4, 0xEA60),
        tty("ttyUSB4", serial: "FT4Q1", 0x0403, 0x6011, interface: 0),
        tty("ttyUSB5", serial: "FT4Q1", 0x0403, 0x6011, interface: 1),
    ]

    @Test func theOneTtyWithTheSerialNumberWhateverItsName() {
        #expect(USBSerialPortLookup.node(for: USBSerialPortMatch(serial: "A10K3ZQ9"), among: Self.ports) == .success("/dev/ttyUSB1"))
        #expect(USBSerialPortLookup.node(for: USBSerialPortMatch(serial: "FT4Q1", interface: 1), among: Self.ports) == .success("/dev/ttyUSB5"))
        var usb = UDevDevice(subsystem: "usb", syspath: "/sys/devices/usb1/1-4", sysname: "1-4")
        usb.serial = "A10K3ZQ9"
        usb.devnode = "/dev/bus/usb/001/005"
        #expect(USBSerialPortLookup.node(for: USBSerialPortMatch(serial: "A10K3ZQ9"), among: [usb]).isFailure,
                "the bridge's USB device is not the port")
    }

    @Test func noneOrSeveralIsAFailureThatSaysWhy() {
        guard case .failure(let none) = USBSerialPortLookup.node(for: USBSerialPortMatch(serial: "B777"), among: Self.ports) else {
            Issue.record("found a port for an absent serial")
            return
        }
        #expect(none.kind == "no-device")
        #expect(none.description == "no serial port with usb serial B777 is attached")
        guard case .failure(let two) = USBSerialPortLookup.node(for: USBSerialPortMatch(serial: "0001"), among: Self.ports) else {
            Issue.record("picked one of two ports sharing a serial number")
            return
        }
        #expect(two.kind == "ambiguous-device")
        #expect(two.description == "usb serial 0001 matches /dev/ttyUSB2, /dev/ttyUSB3; add vendorId/productId or interface to usb:, or give port:")
        #expect(USBSerialPortLookup.node(for: USBSerialPortMatch(serial: "0001", vendorID: 0x0403), among: Self.ports).isFailure)
    }

    @Test func aTtyOnASharedBridgeListsTheProfilesThatShipOnIt() throws {
        let profiles = Array(try DeviceProfileLoader.load(directory: GatewayUnderTestbed.repositoryDevices).values)
        let entry = DeviceInventory(profiles: profiles).entry(for: Self.ports[0])
        #expect(entry.profile == nil && entry.reader == nil && !entry.isUnconfiguredReader)
        #expect(entry.bridgeProfiles.map(\.id) == ["elechouse/pn532-hsu", "generic/rdm6300-ch340", "magicrf/m100", "thingmagic/m6e-nano"])
        #expect(entry.readerSuggestion == nil)
    }

    @Test func aReaderGivenByUSBSerialNumberIsItsTty() throws {
        let profiles = Array(try DeviceProfileLoader.load(directory: GatewayUnderTestbed.repositoryDevices).values)
        var reader = try #require(try GatewayConfigLoader.parse("""
            gateway: { id: t, dataDir: /tmp/t }
            readers:
              - { id: badge, profile: id-innovations/id-12la, usb: { serial: A10K3ZQ9 } }
            """, file: "/etc/tagway/gw.yaml", devicesDir: GatewayUnderTestbed.repositoryDevices).readers.first)
        let inventory = DeviceInventory(profiles: profiles, readers: [reader])
        let entry = inventory.entry(for: Self.ports[1])
        #expect(entry.reader?.id == "badge")
        #expect(entry.profile?.id == "id-innovations/id-12la")
        #expect(inventory.entry(for: Self.ports[4]).reader == nil)
        reader.usbPort = nil
        reader.port = "/dev/ttyUSB1"
        #expect(DeviceInventory(profiles: profiles, readers: [reader]) { $0 }.entry(for: Self.ports[1]).reader?.id == "badge")
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
