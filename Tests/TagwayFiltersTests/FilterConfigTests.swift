import Testing
import TagwayConfig
import TagwayFilters
import TagwayModel
import TagwayTestSupport
import TagwayGateway

/// `readers[].filters`, `readers[].referenceTags` and the top-level `filters:` read into the
/// configuration, and every mistake located with what was expected.
@Suite struct FilterConfigTests {
    static let head = """
        gateway: { id: gw, dataDir: /tmp/x }
        readers:
          - id: door3-uhf
            profile: magicrf/m100
            port: /dev/a
            antennas: { 1: door3-in, 2: door3-out }

        """

    static func load(_ yaml: String) throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse(yaml, file: "gw.yaml", devicesDir: TestPaths.repositoryDevices)
    }

    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aFullExampleReads() throws {
        let config = try Self.load("""
            gateway: { id: gw, dataDir: /tmp/x }
            readers:
              - id: door3-uhf
                profile: magicrf/m100
                port: /dev/a
                antennas: { 1: door3-in, 2: door3-out }
                filters:
                  exclude:
                    - epcPrefix: "E280/12"
                    - { scheme: gid }
                  include:
                    - { companyPrefix: "0614141", filterValue: 3 }
                    - keyPrefix: "urn:epc:id:giai:0614141."
                    - pattern: "^em4100:"
                  rssiFloor: -65
                  minReads: { count: 2, within: 1s }
                referenceTags:
                  - { tag: "urn:epc:id:giai:0614141.99", readPoint: door3-in, expectEvery: 60s }
                  - { tag: 300833B2DDD9014000000001, expectEvery: 5m }
            filters:
              door3-out: { exclude: [{ scheme: sscc }] }
            """)
        let reader = try #require(config.filters.readers["door3-uhf"])
        #expect(reader.exclude.count == 2)
        #expect(reader.exclude.first?.epcPrefix == BitPrefix(hex: "E28", bits: 12))
        #expect(reader.include.count == 3)
        #expect(reader.include.first == TagMatch(filterValue: 3, companyPrefix: "0614141"))
        #expect(reader.rssiFloor == -65)
        #expect(reader.minReads == MinReads(count: 2, within: .seconds(1)))
        #expect(config.filters.readPoints["door3-out"]?.exclude == [TagMatch(scheme: "sscc")])
        #expect(config.filters.referenceTags == [
            ReferenceTagSpec(tag: .uri("urn:epc:id:giai:0614141.99"), reader: "door3-uhf", readPoint: "door3-in", expectEvery: .seconds(60)),
            ReferenceTagSpec(tag: .id(TagID(hex: "300833B2DDD9014000000001")!), reader: "door3-uhf", expectEvery: .seconds(300)),
        ])
        #expect(!config.filters.isEmpty)
    }

    @Test func aReloadNamesAFilterChangeAndNeedsNoRestart() throws {
        let before = try Self.load(Self.head)
        let after = try Self.load(Self.head + """
                filters: { rssiFloor: -60 }
            """)
        #expect(ConfigChanges.between(running: before, loaded: after) == ["filters or reference tags changed"])
        #expect(RestartSettings.changed(running: before, loaded: after).isEmpty)
        #expect(after.checkReport(file: "gw.yaml").last == "  filters: reader door3-uhf; 0 reference tag(s)")
    }

    @Test func noFiltersIsEmpty() throws {
        #expect(try Self.load(Self.head).filters.isEmpty)
    }

    @Test func mistakesAreLocated() {
        let found = Self.errors(Self.head + """
                filters:
                  exclude:
                    - { epcPrefix: "E2G0" }
                    - { scheme: sgtn }
                    - { filterValue: 9 }
                    - { companyPrefix: "06141" }
                    - { pattern: "([" }
                    - {}
                  rssiFloor: loud
                  minReads: { count: 2 }
                  colour: red
                referenceTags:
                  - { tag: "urn:epc:id:sgtin:0614141.812345", expectEvery: 60s }
                  - { tag: 3008, readPoint: door9, expectEvery: 60s }
                  - { tag: 3008, expectEvery: 0s }
                  - { tag: 3008 }
            filters:
              door3-inn: { rssiFloor: -60 }
            """)
        let expected = [
            "gw.yaml:9:24: readers[0].filters.exclude[0].epcPrefix: 'E2G0' is not an EPC prefix",
            "gw.yaml:10:21: readers[0].filters.exclude[1].scheme: unknown scheme 'sgtn' (did you mean 'sgtin'?)",
            "gw.yaml:11:26: readers[0].filters.exclude[2].filterValue: 9 is out of range; expected 0...7",
            "gw.yaml:12:28: readers[0].filters.exclude[3].companyPrefix: '06141' is not a GS1 company prefix",
            "gw.yaml:13:22: readers[0].filters.exclude[4].pattern: '([' is not a valid regular expression",
            "gw.yaml:14:11: readers[0].filters.exclude[5]: the entry has no condition",
            "gw.yaml:15:18: readers[0].filters.rssiFloor: 'loud' is not a whole number; expected a whole number in -150...50",
            "gw.yaml:16:17: readers[0].filters.minReads: missing key 'within'; expected minReads: { count: 2, within: 1s }",
            "gw.yaml:17:7: readers[0].filters.colour: unknown key",
            "gw.yaml:19:16: readers[0].referenceTags[0].tag: 'urn:epc:id:sgtin:0614141.812345' is not an EPC pure-identity URI a tag can carry",
            "gw.yaml:20:33: readers[0].referenceTags[1].readPoint: 'door9' is not a read point of reader 'door3-uhf'",
            "gw.yaml:21:35: readers[0].referenceTags[2].expectEvery: '0s' is too short",
            "gw.yaml:22:9: readers[0].referenceTags[3]: missing key 'expectEvery'",
            "gw.yaml:24:3: filters.door3-inn: unknown read point 'door3-inn' (did you mean 'door3-in'?)",
        ]
        for line in expected {
            #expect(found.contains { $0.hasPrefix(line) }, "\(line)\nnot in:\n\(found.joined(separator: "\n"))")
        }
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
    }
}
