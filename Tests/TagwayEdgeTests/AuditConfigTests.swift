import Testing
import TagwayAudit
@testable import TagwayConfig

/// `audit:`: freshness, the Snipe-IT location map (checked against the zones), limits, and the
/// zones an expected list may name (configured zones and read points no zone lists).
@Suite struct AuditConfigTests {
    static let base = """
        gateway: { id: gw, dataDir: /tmp/tagway-audit-config }
        readers:
          - { id: uhf, profile: magicrf/m100, port: /dev/null, antennas: { 1: storage-1, 2: desk, 3: door-in } }
        zones:
          - { id: it-storage, readPoints: [storage-1], aliases: [room-2.14] }

        """

    @Test func locationsMapToZonesAndAliasesAndUnlistedReadPointsAreZones() throws {
        let config = try GatewayConfigLoader.parse(Self.base + """
            audit:
              freshness: 8h
              logEvents: true
              maxRows: 5000
              maxUploadBytes: 1048576
              locations: { "HQ Storage Room 2": room-2.14, "Front desk": desk }
            """, file: "gw.yaml", devicesDir: repositoryDevices)
        #expect(config.audit.zones == ["it-storage", "uhf", "desk", "door-in"], "the reader's own read point (antennas not listed) is a zone too")
        #expect(config.audit.aliases == ["room-2.14": "it-storage"])
        #expect(config.audit.locations == ["HQ Storage Room 2": "it-storage", "Front desk": "desk"])
        #expect(config.audit.freshness == .seconds(8 * 3_600))
        #expect(config.audit.logEvents)
        #expect(config.audit.maxRows == 5_000)
        #expect(config.audit.maxUploadBytes == 1 << 20)
        #expect(config.audit.checksZones)
    }

    @Test func withoutAnAuditSectionTheDefaultsHold() throws {
        let config = try GatewayConfigLoader.parse(Self.base, file: "gw.yaml", devicesDir: repositoryDevices)
        #expect(config.audit.zones == ["it-storage", "uhf", "desk", "door-in"], "the reader's own read point (antennas not listed) is a zone too")
        #expect(config.audit.freshness == .seconds(86_400))
        #expect(!config.audit.logEvents)
        #expect(config.audit.maxRows == 1_000_000)
        #expect(config.audit.maxUploadBytes == 64 << 20)
    }

    @Test func badValuesAreLocatedErrors() {
        let text = Self.base + """
            audit:
              freshness: 0s
              maxRows: 20000000
              maxUploadBytes: -1
              logEvents: maybe
              locations: { "HQ Storage Room 2": storage-room }
              colour: blue
            """
        do {
            _ = try GatewayConfigLoader.parse(text, file: "gw.yaml", devicesDir: repositoryDevices)
            Issue.record("accepted")
        } catch {
            let lines = error.errors.map(\.description)
            #expect(lines.contains { $0.hasPrefix("gw.yaml:7:14: audit.freshness: '0s' is too short") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("gw.yaml:8:12: audit.maxRows: 20000000 is out of range") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("gw.yaml:9:19: audit.maxUploadBytes: -1 is out of range") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("gw.yaml:10:14: audit.logEvents: is") }, "\(lines)")
            #expect(lines.contains { $0.contains("audit.locations: location 'HQ Storage Room 2' maps to unknown zone 'storage-room'") }, "\(lines)")
            #expect(lines.contains { $0.contains("gw.yaml:12:3: audit.colour: unknown key") }, "\(lines)")
            #expect(error.errors.count == 6, "\(lines)")
        }
    }
}
