import Foundation
import Testing
@testable import TagwayConfig

/// A serial reader given by USB serial number (`usb: { serial: … }`) instead of `port:`:
/// exactly one of the two, each mistake located.
@Suite struct SerialUSBReaderConfigTests {
    static let file = "/etc/tagway/gw.yaml"
    static let profiles: [String: DeviceProfile] = [
        "acme/serial": DeviceProfile(id: "acme/serial", name: "ACME serial", transport: .serial, protocolID: "em4100-ascii",
                                     serial: .init(), file: "acme/serial.yaml"),
    ]

    static func read(_ list: String) throws -> (readers: [ReaderConfig], errors: [String]) {
        let diagnostics = Diagnostics()
        let root = YAMLValue(node: try YAMLDocument.parse(list, file: file), file: file, path: "readers", diagnostics: diagnostics)
        let readers = (root.sequence() ?? []).compactMap { ReaderConfigReader.read($0, profiles: profiles, absolute: { $0 }) }
        ReaderConfigReader.checkUnique(readers, file: file, diagnostics: diagnostics)
        return (readers, diagnostics.errors.map(\.description))
    }

    @Test func aSerialReaderFoundByItsUSBSerialNumber() throws {
        let (readers, errors) = try Self.read("""
            - { id: badge, profile: acme/serial, usb: { serial: A10K3ZQ9 } }
            - { id: quad, profile: acme/serial, usb: { serial: FT4Q1, vendorId: 0x0403, productId: 24593, interface: 2 } }
            - { id: cheap, profile: acme/serial, usb: { serial: 0001 } }
            """)
        #expect(errors.isEmpty, "\(errors)")
        #expect(readers.map(\.usbPort) == [
            USBSerialPortMatch(serial: "A10K3ZQ9"),
            USBSerialPortMatch(serial: "FT4Q1", vendorID: 0x0403, productID: 0x6011, interface: 2),
            USBSerialPortMatch(serial: "0001"),
        ])
        #expect(readers.allSatisfy { $0.port == nil })
        #expect(readers[1].usbPort?.description == "usb serial FT4Q1 (0403:6011) interface 2")
    }

    @Test func exactlyOneOfPortAndUSB() throws {
        let errors = try Self.read("""
            - { id: both, profile: acme/serial, port: /dev/ttyUSB0, usb: { serial: A1 } }
            - { id: neither, profile: acme/serial }
            - { id: noserial, profile: acme/serial, usb: { vendorId: 0x0403 } }
            - { id: wrong, profile: acme/serial, usb: { serial: A2, productId: 0x10000, bus: 1 } }
            """).errors
        #expect(errors == [
            "\(Self.file):1:62: readers[0].usb: a serial reader is found by port: or by usb:, not both; "
                + "expected port: /dev/tagway/<name>, or usb: { serial: A12345 } to find its tty by USB serial number",
            "\(Self.file):2:3: readers[1]: serial reader 'neither' has no port; expected port: /dev/tagway/<name> or /dev/ttyUSB0, or usb: { serial: A12345 }",
            "\(Self.file):3:46: readers[2].usb: a serial reader found on USB needs its USB serial number; "
                + "expected usb: { serial: A12345 } (`tagway devices` shows it), or port: instead",
            "\(Self.file):4:77: readers[3].usb.bus: unknown key; expected one of serial, vendorId, productId, interface",
            "\(Self.file):4:68: readers[3].usb.productId: 65536 is out of range; expected 0...65535",
        ], "\(errors)")
    }

    @Test func twoReadersForOneDeviceAreRefused() throws {
        let errors = try Self.read("""
            - { id: a, profile: acme/serial, usb: { serial: A1 } }
            - { id: b, profile: acme/serial, usb: { serial: A1 } }
            """).errors
        #expect(errors == ["\(Self.file):2:1: readers: usb serial A1 is already used by reader 'a'; expected one reader per device"], "\(errors)")
    }
}
