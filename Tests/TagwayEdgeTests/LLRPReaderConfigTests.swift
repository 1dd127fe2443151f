import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// LLRP readers through the whole loader, with the shipped profiles and the registered LLRP
/// protocol: its settings schema and its conversation judge the values, and every objection
/// comes back with file and line.
@Suite struct LLRPReaderConfigTests {
    static func load(_ readers: String) throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse("gateway: { id: dock-east, dataDir: data }\nreaders:\n" + readers, file: "/etc/tagway/gw.yaml",
                                      devicesDir: TestPaths.repositoryDevices)
    }

    static func errors(_ readers: String) -> [ConfigError] {
        do {
            _ = try load(readers)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func theShippedLLRPProfilesLoad() throws {
        let profiles = try DeviceProfileLoader.load(directory: TestPaths.repositoryDevices)
        for id in ["impinj/r700", "impinj/speedway-r420", "zebra/fx9600", "generic/llrp"] {
            let profile = try #require(profiles[id], "missing profile \(id)")
            #expect(profile.transport == .llrp)
            #expect(profile.protocolID == "llrp")
            #expect(profile.technology == "epc-gen2")
            #expect(profile.usb == nil && profile.serial == nil)
        }
        #expect(profiles["impinj/r700"]?.settings["vendorExtensions"] == "true")
        #expect(profiles["impinj/speedway-r420"]?.settings["vendorExtensions"] == "true")
        #expect(profiles["zebra/fx9600"]?.settings["vendorExtensions"] == "false")
        #expect(profiles["generic/llrp"]?.settings["vendorExtensions"] == "false")
        #expect(UdevRulesGenerator.rules(for: Array(profiles.values)).contains("llrp") == false, "no rule for a network reader")
    }

    @Test func aValidLLRPReader() throws {
        let config = try Self.load("""
              - id: dock3-llrp
                profile: impinj/r700
                host: 10.1.2.3
                antennas: { 1: dock3-in, 2: { readPoint: dock3-out, power: 30 } }
                settings: { session: 1, searchMode: 2 }
            """)
        let reader = try #require(config.readers.first)
        #expect(reader.host == "10.1.2.3")
        #expect(reader.tcpPort == 5084, "the LLRP descriptor's default port")
        #expect(reader.antennaPower == [2: 30])
        #expect(reader.settings["session"] == "1")
        #expect(reader.settings["vendorExtensions"] == "true", "the profile's default stays")
        #expect(config.readPoints == ["dock3-llrp", "dock3-in", "dock3-out"])
    }

    @Test func aBadSettingIsLocatedAtTheReadersSettings() {
        let found = Self.errors("""
              - id: dock3
                profile: zebra/fx9600
                host: 10.1.2.3
                settings: { session: 7, searchMode: 2 }
            """)
        #expect(found.map(\.line) == [6, 6], "\(found.map(\.description))")
        #expect(found.map(\.message) == ["setting 'session' is '7'", "setting 'searchMode' is '2'"], "\(found.map(\.description))")
        #expect(found.last?.expected?.contains("vendorExtensions: true") == true)
    }

    @Test func anAntennaTheConversationRefusesIsLocatedAtTheAntennas() {
        let found = Self.errors("""
              - id: dock3
                profile: generic/llrp
                host: 10.1.2.3
                antennas: { 0: dock3-all }
            """)
        #expect(found.count == 1, "\(found.map(\.description))")
        #expect(found.first?.line == 6)
        #expect(found.first?.key == "readers[0].antennas")
        #expect(found.first?.message == "setting 'antennas' is '0'")
    }

    @Test func anLLRPProfileNamesAnLLRPProtocolAndHasNoSerialOrUSBBlock() throws {
        let directory = TestPaths.temporaryDirectory("llrp-profiles")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/acme", withIntermediateDirectories: true)
        try """
            id: acme/fixed
            name: ACME fixed reader
            transport: llrp
            protocol: em4100-ascii
            serial: { baud: 9600 }
            usb: { vendorId: 0x1234, productId: 0x5678 }
            """.write(toFile: directory + "/acme/fixed.yaml", atomically: true, encoding: .utf8)
        var found: [ConfigError] = []
        do {
            _ = try DeviceProfileLoader.load(directory: directory)
        } catch {
            found = error.errors
        }
        #expect(found.map { "\($0.line): \($0.message)" } == [
            "4: unknown LLRP protocol 'em4100-ascii'", "6: a network reader has no USB ids", "5: a network reader has no serial line",
        ])
        #expect(found.first?.expected == "one of llrp")
    }
}
