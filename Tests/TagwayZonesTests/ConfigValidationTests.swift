import Foundation
import TagwayConfig
import TagwayZones
import Testing

/// `zones:`, `rules:` and `movement:` are checked with file:line:column errors that say what
/// would be right.
@Suite struct ConfigValidationTests {
    func errors(_ yaml: String, readPoints: [String]? = nil) -> [String] {
        do {
            _ = try MovementConfigReader.parse(yaml, file: "z.yaml", readPoints: readPoints)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aValidLayoutParses() throws {
        let config = try MovementConfigReader.parse("""
            zones:
              - { id: dock-3, name: Dock door 3, aliases: [door-3], door: { inside: [d-in], outside: [d-out] } }
              - { id: helpdesk, readPoints: [desk], mode: scan }
            rules:
              - { id: r, match: { companyPrefix: "0614141", pattern: "^urn" }, allowedZones: [helpdesk], alertOn: [passed-out] }
            movement: { threshold: 4dB, holdoff: 1s, slope: -2, floor: 1, moveAfterReads: 3, departAfter: 30s, maxAssets: 1000 }
            """, file: "z.yaml", readPoints: ["d-in", "d-out", "desk"])
        #expect(config.zones.map(\.id) == ["dock-3", "helpdesk"])
        #expect(config.zones[0].doorInside == ["d-in"] && config.zones[0].aliases == ["door-3"])
        #expect(config.zones[1].mode == .scan)
        #expect(config.rules[0].alertOn == [.passedOut])
        #expect(config.settings == MovementSettings(threshold: 4, holdoff: .seconds(1), slopePerSecond: -2, floor: 1,
                                                    moveAfterReads: 3, departAfter: .seconds(30), maxAssets: 1000))
    }

    @Test func duplicateIdsAndAliases() {
        #expect(errors("""
            zones:
              - { id: a, readPoints: [p1] }
              - { id: a, readPoints: [p2] }
              - { id: b, aliases: [a], readPoints: [p3] }
            """) == [
                "z.yaml:3:5: zones[1]: zone id 'a' is already used by zone 'a' (line 2); expected unique zone ids and aliases",
                "z.yaml:4:5: zones[2]: alias 'a' is already used by zone 'a' (line 2); expected unique zone ids and aliases",
            ])
    }

    @Test func aReadPointInTwoDoorsOrUnknown() {
        #expect(errors("""
            zones:
              - { id: d1, door: { inside: [p1], outside: [p2] } }
              - { id: d2, door: { inside: [p3], outside: [p2] } }
              - { id: z, readPoints: [p9] }
            """, readPoints: ["p1", "p2", "p3"]) == [
                "z.yaml:3:47: zones[1].door.outside[0]: read point 'p2' is already in zone 'd1' (line 2); expected each read point in one zone, on one side of one door",
                "z.yaml:4:27: zones[2].readPoints[0]: unknown read point 'p9' (did you mean 'p1'?); expected one of p1, p2, p3",
            ])
    }

    @Test func doorShapes() {
        #expect(errors("""
            zones:
              - { id: d1, door: { inside: [p1] } }
              - { id: d2, readPoints: [p4], door: { inside: [p2], outside: [p3] }, mode: scan }
              - { id: e }
            """) == [
                "z.yaml:2:21: zones[0].door: a door needs read points on both sides; expected door: { inside: [door3-in], outside: [door3-out] }",
                "z.yaml:3:27: zones[1].readPoints: a door zone lists its read points by side; expected only door: { inside: [...], outside: [...] }",
                "z.yaml:3:78: zones[1].mode: a door cannot be a scan station; expected mode: presence (or no mode)",
                "z.yaml:4:5: zones[2]: zone 'e' has no read points; expected readPoints: [a read point of a reader] or door: { inside, outside }",
            ])
    }

    @Test func ruleMistakes() {
        let found = errors("""
            zones:
              - { id: a, readPoints: [p1] }
            rules:
              - { id: r1, match: { companyPrefix: "06x" }, allowedZones: [a, b], forbiddenZones: [a] }
              - { id: r1, match: { pattern: "([" }, alertOn: [passed-sideways] }
              - { id: r3, match: {}, forbiddenZones: [a] }
            """)
        #expect(found.count == 8, "\(found.joined(separator: "\n"))")
        #expect(found.contains { $0.hasPrefix("z.yaml:4:39: rules[0].match.companyPrefix: '06x' is not a GS1 company prefix") })
        #expect(found.contains { $0.hasPrefix("z.yaml:4:87: rules[0].forbiddenZones[0]: zone 'a' is both allowed and forbidden") })
        #expect(found.contains { $0.hasPrefix("z.yaml:4:66: rules[0].allowedZones[1]: unknown zone 'b'") })
        #expect(found.contains { $0.hasPrefix("z.yaml:5:33: rules[1].match.pattern: '([' is not a valid regular expression") })
        #expect(found.contains { $0.hasPrefix("z.yaml:5:51: rules[1].alertOn[0]: unknown alertOn 'passed-sideways'; expected passed-out or passed-in") })
        #expect(found.contains { $0.hasPrefix("z.yaml:5:5: rules[1]: rule id 'r1' is used twice (first on line 4)") })
        #expect(found.contains { $0.hasPrefix("z.yaml:6:22: rules[2].match: match has no condition") })
    }

    @Test func tuningProblems() {
        #expect(errors("movement: { threshold: 3, floor: 5, slope: 2, holdof: 1s }") == [
            "z.yaml:1:47: movement.holdof: unknown key (did you mean 'holdoff'?); expected one of threshold, holdoff, slope, floor, moveAfterReads, departAfter, maxAssets",
            "z.yaml:1:11: movement: slope must be zero or negative (dB per second the threshold falls)",
            "z.yaml:1:11: movement: floor cannot be above threshold",
        ])
    }

    @Test func theGatewayFileChecksZonesAgainstItsReaders() throws {
        var devices = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: devices.appendingPathComponent("devices/magicrf").path) {
            devices.deleteLastPathComponent()
        }
        let yaml = """
            gateway: { id: t, dataDir: /tmp/tagway-zones-test }
            readers:
              - { id: door3-uhf, profile: thingmagic/m6e-nano, port: /dev/null, antennas: { 1: door3-in, 2: door3-out } }
            zones:
              - { id: dock-3, door: { inside: [door3-in], outside: [door3-aut] } }
            """
        do {
            _ = try GatewayConfigLoader.parse(yaml, file: "gw.yaml", devicesDir: devices.appendingPathComponent("devices").path)
            Issue.record("an unknown read point must fail")
        } catch {
            #expect(error.errors.map(\.description) == [
                "gw.yaml:5:57: zones[0].door.outside[0]: unknown read point 'door3-aut' (did you mean 'door3-out'?); expected one of door3-uhf, door3-in, door3-out",
            ])
        }
        let fixed = try GatewayConfigLoader.parse(yaml.replacingOccurrences(of: "door3-aut", with: "door3-out"), file: "gw.yaml",
                                                  devicesDir: devices.appendingPathComponent("devices").path)
        #expect(fixed.movement.zones.first?.doorOutside == ["door3-out"])
    }
}
