import Foundation
import Testing
@testable import TagwayConfig

/// Network (LLRP) readers in `readers:`: where they listen, their antennas' powers, and the keys
/// that belong to other transports, each mistake located. The profiles are made here, so these
/// tests do not depend on which conversation protocols the registry holds.
@Suite struct NetworkReaderConfigTests {
    static let file = "/etc/tagway/gw.yaml"
    static let profiles: [String: DeviceProfile] = [
        "acme/fixed": DeviceProfile(id: "acme/fixed", name: "ACME fixed reader", transport: .llrp, protocolID: "llrp",
                                    technology: "epc-gen2", file: "acme/fixed.yaml"),
        "acme/serial": DeviceProfile(id: "acme/serial", name: "ACME serial", transport: .serial, protocolID: "em4100-ascii",
                                     serial: .init(), file: "acme/serial.yaml"),
        "acme/hid": DeviceProfile(id: "acme/hid", name: "ACME HID", transport: .usbHID, protocolID: "hid-keyboard",
                                  usb: USBMatch(vendorID: 0x1234, productID: 0x5678), file: "acme/hid.yaml"),
    ]

    /// The readers of a `readers:` list and every error about them, as the loader reports them.
    static func read(_ list: String) throws -> (readers: [ReaderConfig], errors: [ConfigError]) {
        let diagnostics = Diagnostics()
        let root = YAMLValue(node: try YAMLDocument.parse(list, file: file), file: file, path: "readers", diagnostics: diagnostics)
        let readers = (root.sequence() ?? []).compactMap { ReaderConfigReader.read($0, profiles: profiles, absolute: { $0 }) }
        ReaderConfigReader.checkUnique(readers, file: file, diagnostics: diagnostics)
        return (readers, diagnostics.errors)
    }

    static func errors(_ list: String) throws -> [String] { try read(list).errors.map(\.description) }

    @Test func aNetworkReaderWithHostPortAndAntennaPowers() throws {
        let (readers, errors) = try Self.read("""
            - id: dock3
              profile: acme/fixed
              host: 10.1.2.3
              port: 5085
              readPoint: dock3
              antennas:
                1: dock3-in
                2: { readPoint: dock3-out, power: 27.5 }
                3: { power: 30 }
            """)
        #expect(errors.isEmpty, "\(errors)")
        let reader = try #require(readers.first)
        #expect(reader.host == "10.1.2.3")
        #expect(reader.tcpPort == 5085)
        #expect(reader.antennas == [1: "dock3-in", 2: "dock3-out", 3: "dock3"], "an antenna given only a power reads into readPoint")
        #expect(reader.antennaPower == [2: 27.5, 3: 30])
        #expect(reader.port == nil && reader.usb == nil)
    }

    @Test func hostFormsAndTheDefaultPort() throws {
        let (readers, errors) = try Self.read("""
            - { id: a, profile: acme/fixed, host: reader-7.local }
            - { id: b, profile: acme/fixed, host: "10.1.2.4:6000" }
            - { id: c, profile: acme/fixed, host: "reader-8.example.com:5086" }
            - { id: d, profile: acme/fixed, host: "fd00::7" }
            - { id: e, profile: acme/fixed, host: "[fd00::8]:5087" }
            """)
        #expect(errors.isEmpty, "\(errors)")
        #expect(readers.map(\.host) == ["reader-7.local", "10.1.2.4", "reader-8.example.com", "fd00::7", "fd00::8"])
        #expect(readers.map(\.tcpPort) == [5084, 6000, 5086, 5084, 5087], "5084, LLRP's port, unless given")
    }

    @Test func aMissingHostIsLocatedWithAnExample() throws {
        let errors = try Self.read("""
            - id: dock3
              profile: acme/fixed
              readPoint: dock3
            """).errors
        #expect(errors.map(\.message) == ["network reader 'dock3' has no host"])
        #expect(errors.first?.line == 1)
        #expect(errors.first?.expected?.contains("host: 10.1.2.3") == true)
    }

    @Test(arguments: [
        ("host: 10.1.2.300", "'10.1.2.300' is not a host name or an IPv4 address"),
        ("host: bad_name.local", "'bad_name.local' is not a host name or an IPv4 address"),
        ("host: \"10.1.2.3:0\"", "'0' in '10.1.2.3:0' is not a TCP port"),
        ("host: \"10.1.2.3:http\"", "'http' in '10.1.2.3:http' is not a TCP port"),
        ("host: \"fd00::zz\"", "'fd00::zz' is not an IPv6 address"),
        ("host: \"[fd00::7\"", "'[fd00::7' has no closing ']'"),
        ("port: 70000", "70000 is out of range"),
        ("port: 0", "0 is out of range"),
        ("port: fast", "'fast' is not a whole number"),
    ])
    func aBadAddressIsLocated(line: String, message: String) throws {
        let yaml = line.hasPrefix("port") ? "- id: r\n  profile: acme/fixed\n  host: 10.1.2.3\n  \(line)\n"
                                          : "- id: r\n  profile: acme/fixed\n  \(line)\n"
        let errors = try Self.read(yaml).errors
        #expect(errors.map(\.message) == [message])
        #expect(errors.first?.line == (line.hasPrefix("port") ? 4 : 3))
    }

    @Test func aPortGivenTwiceIsAnError() throws {
        let errors = try Self.errors("""
            - { id: r, profile: acme/fixed, host: "10.1.2.3:5084", port: 5085 }
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("the port is given twice") == true, "\(errors)")
    }

    @Test(arguments: ["-1", "40.5", "high", "{ dBm: 30 }"])
    func aBadPowerIsLocated(power: String) throws {
        let errors = try Self.read("""
            - id: r
              profile: acme/fixed
              host: 10.1.2.3
              antennas:
                1: { readPoint: in, power: \(power) }
            """).errors
        #expect(errors.count == 1, "\(errors.map(\.description))")
        #expect(errors.first?.line == 5)
        #expect(errors.first?.key == "readers[0].antennas.1.power")
        #expect(errors.first?.expected?.contains("0...40") == true)
    }

    @Test func anAntennaEntryTakesOnlyReadPointAndPower() throws {
        let errors = try Self.read("""
            - id: r
              profile: acme/fixed
              host: 10.1.2.3
              antennas: { 1: { readPoint: in, gain: 6 }, 99: out, 2: [a, b] }
            """).errors
        #expect(errors.map(\.message) == ["unknown key", "antenna '99' is not an antenna number", "is a list"],
                "\(errors.map(\.description))")
        #expect(errors.map(\.key) == ["readers[0].antennas.1.gain", "readers[0].antennas.99", "readers[0].antennas.2"])
    }

    @Test func powerOnASerialReaderSaysWhatToWrite() throws {
        let errors = try Self.read("""
            - id: desk
              profile: acme/serial
              port: /dev/ttyUSB0
              antennas: { 1: { readPoint: desk, power: 20 } }
            """).errors
        #expect(errors.map(\.message) == ["an antenna's power (the { readPoint, power } form) is for network (LLRP) readers"])
        #expect(errors.first?.expected == "the read point alone, e.g. 1: door3-in")
        #expect(errors.first?.key == "readers[0].antennas.1")
    }

    @Test func keysOfOtherTransportsSayWhatToWriteInstead() throws {
        let found = try Self.read("""
            - { id: net1, profile: acme/fixed, port: /dev/ttyUSB0 }
            - { id: net2, profile: acme/fixed, host: 10.1.2.3, usb: { serial: "X1" } }
            - { id: net3, profile: acme/fixed, host: 10.1.2.4, serial: { baud: 9600 } }
            - { id: tty, profile: acme/serial, port: /dev/ttyUSB1, host: 10.1.2.5 }
            - { id: hid, profile: acme/hid, host: 10.1.2.6 }
            """).errors
        let messages = found.map { "\($0.line): \($0.key): \($0.message) -> \($0.expected ?? "")" }
        #expect(messages.contains { $0.hasPrefix("1: readers[0]: network reader 'net1' has no host") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("2: readers[1].usb: a network reader is not on USB -> host:") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("3: readers[2].serial: a network reader has no serial line -> host:") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("4: readers[3].host: a serial reader has no host -> port: /dev/tagway/") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("5: readers[4].host: a USB HID reader has no host -> usb:") }, "\(messages)")
    }

    @Test func aSerialPathAsTheTCPPortSaysSo() throws {
        let errors = try Self.read("""
            - { id: net, profile: acme/fixed, host: 10.1.2.3, port: /dev/ttyUSB0 }
            """).errors
        #expect(errors.map(\.message) == ["a network reader has no serial port"])
        #expect(errors.first?.expected?.contains("port: 5084") == true)
    }

    @Test func oneReaderPerHostAndPort() throws {
        let errors = try Self.read("""
            - { id: a, profile: acme/fixed, host: Reader-7.local }
            - { id: b, profile: acme/fixed, host: "reader-7.local:5084" }
            - { id: c, profile: acme/fixed, host: reader-7.local, port: 5085 }
            - { id: d, profile: acme/fixed, host: "fd00::7" }
            - { id: e, profile: acme/fixed, host: "[fd00::7]:5084" }
            """).errors
        #expect(errors.map(\.message) == ["reader-7.local:5084 is already used by reader 'a'", "[fd00::7]:5084 is already used by reader 'd'"])
        #expect(errors.map(\.line) == [2, 5])
    }
}
