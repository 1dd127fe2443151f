import TagwayTestSupport
import Foundation
import Testing
@testable import TagwayConfig

let repositoryDevices = TestPaths.repositoryDevices

private func load(_ yaml: String) throws(ConfigErrors) -> GatewayConfig {
    try GatewayConfigLoader.parse(yaml, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
}

private func errors(_ yaml: String) -> [ConfigError] {
    do {
        _ = try load(yaml)
        return []
    } catch {
        return error.errors
    }
}

@Suite struct ConfigTests {
    @Test func shippedProfilesAllLoad() throws {
        let profiles = try DeviceProfileLoader.load(directory: repositoryDevices)
        for id in ["id-innovations/id-12la", "id-innovations/id-20la", "generic/rdm6300-ch340", "magicrf/m100",
                   "thingmagic/m6e-nano", "elechouse/pn532-hsu", "generic/serial-barcode"] {
            #expect(profiles[id] != nil, "missing profile \(id)")
        }
        #expect(profiles["magicrf/m100"]?.serial?.baud == 115_200)
    }

    @Test func aValidConfig() throws {
        let config = try load("""
            gateway: { id: dock-east, dataDir: data }
            debounce: { departAfter: 30s, window: 1500ms }
            readers:
              - { id: door3-uhf, profile: magicrf/m100, port: /dev/tagway/door3, antennas: { 1: door3-in, 2: door3-out } }
              - id: desk
                profile: id-innovations/id-12la
                port: /dev/ttyUSB0
                readPoint: helpdesk
            """)
        #expect(config.gatewayID == "dock-east")
        #expect(config.dataDir == "/etc/tagway/data")
        #expect(config.debounce.departAfter == .seconds(30))
        #expect(config.debounce.window == .milliseconds(1500))
        #expect(config.debounce.maxTags == nil, "as many tags as presences unless told")
        #expect(config.readers.map(\.id) == ["door3-uhf", "desk"])
        #expect(config.readers[0].readPoint(antenna: 2) == "door3-out")
        #expect(config.readers[1].readPoint(antenna: nil) == "helpdesk")
        #expect(config.readPoints == ["door3-uhf", "door3-in", "door3-out", "helpdesk"])
    }

    /// `debounce.maxTags` bounds the distinct tags, and the asset table follows it unless
    /// `movement.maxAssets` says otherwise (an asset is a tag, a presence a tag at a read point).
    @Test func maxTagsBoundsTheTagsAndTheAssets() throws {
        let readers = "readers: [ { id: r1, profile: magicrf/m100, port: /dev/a } ]"
        let config = try load("gateway: { id: gw, dataDir: /tmp/x }\ndebounce: { maxPresent: 400, maxTags: 100 }\n" + readers)
        #expect(config.debounce.maxPresent == 400 && config.debounce.maxTags == 100)
        #expect(config.movement.settings.maxAssets == 100)
        let told = try load("gateway: { id: gw, dataDir: /tmp/x }\ndebounce: { maxPresent: 400, maxTags: 100 }\n" + readers
                            + "\nmovement: { maxAssets: 250 }")
        #expect(told.movement.settings.maxAssets == 250)
        let beyond = try load("gateway: { id: gw, dataDir: /tmp/x }\ndebounce: { maxPresent: 400, maxTags: 900 }\n" + readers)
        #expect(beyond.movement.settings.maxAssets == 400, "no more assets than presences by default")
    }

    @Test func errorsNameLineColumnKeyAndWhatIsExpected() {
        let found = errors("""
            gateway: { id: gw, dataDir: /tmp/x }
            readers:
              - id: r1
                profile: magicrf/m10
                port: /dev/ttyUSB0
              - id: r2
                profile: id-innovations/id-12la
                prot: /dev/ttyUSB1
            """)
        let text = found.map(\.description)
        #expect(text.contains { $0.hasPrefix("/etc/tagway/gw.yaml:4:14: readers[0].profile: unknown device profile 'magicrf/m10' (did you mean 'magicrf/m100'?)") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("/etc/tagway/gw.yaml:8:5: readers[1].prot: unknown key (did you mean 'port'?)") }, "\(text)")
        #expect(text.contains { $0.contains("serial reader 'r2' has no port") }, "\(text)")
    }

    @Test func wrongTypesAndValues() {
        let found = errors("""
            gateway: { id: gw, dataDir: /tmp/x, durability: sometimes }
            debounce: { departAfter: soon, maxPresent: 0, maxTags: 0, ringCapacity: 65536 }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a }
              - { id: r1, profile: magicrf/m100, port: /dev/a }
              - { id: r3, profile: magicrf/m100, port: /dev/b, serial: { baud: 12345 } }
            """).map(\.description)
        #expect(found.contains { $0.contains("gateway.durability: unknown durability 'sometimes'; expected full or normal") }, "\(found)")
        #expect(found.contains { $0.contains("debounce.departAfter: 'soon' is not a duration") }, "\(found)")
        #expect(found.contains { $0.contains("debounce.maxPresent: 0 is out of range") }, "\(found)")
        #expect(found.contains { $0.contains("debounce.maxTags: 0 is out of range") }, "\(found)")
        #expect(found.contains { $0.contains("debounce.ringCapacity: 65536 is out of range") }, "\(found)")
        #expect(found.contains { $0.contains("baud 12345 is not supported") }, "\(found)")
        #expect(found.contains { $0.contains("reader id 'r1' is used twice (first on line 4)") }, "\(found)")
        #expect(found.contains { $0.contains("port /dev/a is already used by reader 'r1'") }, "\(found)")
    }

    @Test func yamlSyntaxErrorsAreLocated() {
        let found = errors("gateway: { id: gw\nreaders: [\n")
        #expect(found.count == 1)
        #expect(found.first?.description.hasPrefix("/etc/tagway/gw.yaml:") == true)
        #expect(found.first?.message.contains("YAML syntax error") == true)
    }

    @Test func profilesMayNotClaimABareUSBSerialBridge() throws {
        let dir = NSTemporaryDirectory() + "tagway-profiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/acme", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            id: acme/reader
            name: Acme reader
            transport: serial
            protocol: em4100-ascii
            serial: { baud: 9600 }
            usb: { vendorId: 0x0403, productId: 0x6001 }
            """.write(toFile: dir + "/acme/reader.yaml", atomically: true, encoding: .utf8)
        #expect {
            _ = try DeviceProfileLoader.load(directory: dir)
        } throws: { error in
            (error as? ConfigErrors)?.description.contains("0403:6001 is a generic USB-serial bridge") == true
        }
    }

    @Test func profileIdMustMatchItsPlaceAndProtocolMustExist() throws {
        let dir = NSTemporaryDirectory() + "tagway-profiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/acme", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            id: acme/other
            name: Acme reader
            transport: serial
            protocol: morse
            serial: { baud: 9600 }
            """.write(toFile: dir + "/acme/reader.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try DeviceProfileLoader.load(directory: dir)
            Issue.record("invalid profile accepted")
        } catch {
            let text = error.description
            #expect(text.contains("reader.yaml:1:5: id: id 'acme/other' does not match the file's place; expected 'acme/reader'"), "\(text)")
            #expect(text.contains("reader.yaml:4:11: protocol: unknown serial protocol 'morse'"), "\(text)")
        }
    }
}

@Suite struct IdentityConfigTests {
    @Test func companyPrefixesKeepTheirLeadingZeros() throws {
        let config = try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: /tmp/x }
            identity: { companyPrefixes: [0614141, "4012345"] }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a }
            """, file: "gw.yaml", devicesDir: repositoryDevices)
        #expect(config.companyPrefixes == ["0614141", "4012345"])
    }

    @Test func aBadPrefixIsLocated() {
        #expect {
            _ = try GatewayConfigLoader.parse("""
                gateway: { id: gw, dataDir: /tmp/x }
                identity: { companyPrefixes: [06141, abc] }
                readers:
                  - { id: r1, profile: magicrf/m100, port: /dev/a }
                """, file: "gw.yaml", devicesDir: repositoryDevices)
        } throws: { error in
            let text = (error as? ConfigErrors)?.description ?? ""
            return text.contains("gw.yaml:2:31: identity.companyPrefixes[0]: '06141' is not a GS1 Company Prefix")
                && text.contains("'abc' is not a GS1 Company Prefix")
        }
    }
}

@Suite struct MissingIDTests {
    @Test func everyListEntryNeedsAnID() {
        #expect {
            _ = try GatewayConfigLoader.parse("""
                gateway: { id: gw, dataDir: /tmp/x }
                readers:
                  - { profile: magicrf/m100, port: /dev/a }
                  - { id: "bad id", profile: magicrf/m100, port: /dev/b }
                """, file: "gw.yaml", devicesDir: repositoryDevices)
        } throws: { error in
            let text = (error as? ConfigErrors)?.description ?? ""
            return text.contains("gw.yaml:3:5: readers[0]: missing key 'id'; expected a unique id such as door3-uhf")
                && text.contains("readers[1].id: 'bad id' has characters not allowed in an id")
        }
    }
}
