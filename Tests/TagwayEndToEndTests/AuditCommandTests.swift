import Foundation
import Testing
import TagwayEventLog
import TagwayModel

/// `tagway audit` on a real log whose asset rows were written with their events, while the
/// writer still has the log open (as a running gateway does): the table, the JSON, a zone
/// filter, a Snipe-IT export through `audit.locations`, and bad input as exit 2 with lines.
@Suite(.serialized) struct AuditCommandTests {
    static let snipeIT = "\u{FEFF}Company,Asset Name,Asset Tag,Model,Serial,Location,Status\n"
        + "Acme,ACME-LT-042,LAP-00042,\"Latitude 7440, 14\"\"\",5CG1,HQ Storage Room 2,Ready to Deploy\n"
        + "Acme,ACME-LT-043,LAP-00043,\"Latitude 7440, 14\"\"\",5CG2,HQ Storage Room 2,Ready to Deploy\n"
        + "Acme,ACME-LT-044,LAP-00044,ThinkPad T14,PF4,HQ Storage Room 2,Deployed\n"
        + "Acme,,MON-00007,P2723DE,CN0,\"Helpdesk, 1st floor\",Ready to Deploy\n"

    /// A log with four assets: LAP-00042 (GIAI tag) and a stray scan in it-storage, LAP-00044 at
    /// the helpdesk, MON-00007 seen at the helpdesk three days ago.
    static func makeLog(_ dir: String) async throws -> EventLog {
        let log = try EventLog(directory: dir + "/data")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var rng = SystemRandomNumberGenerator()
        func row(_ key: String, _ zone: String, ago: Int64) -> (MovementEvent, AssetRecord) {
            let time = Timestamp(milliseconds: now - ago)
            let scheme = key.hasPrefix("urn:") ? "giai" : "barcode"
            let asset = AssetRef(key: key, scheme: scheme, raw: key)
            let event = MovementEvent(id: EventID.make(time: time, using: &rng), type: .arrived, time: time, gateway: "gw",
                                      asset: asset, to: zone, readPoint: zone + "-1", reads: 1)
            let record = AssetRecord(tag: TagID(bytes: Array(key.utf8)), isScan: scheme == "barcode", technology: nil, asset: asset,
                                     zone: zone, since: time, readPoint: zone + "-1", lastRead: time, lastReadInZone: time, reads: 1)
            return (event, record)
        }
        let rows = [
            row("urn:epc:id:giai:0614141.LAP-00042", "it-storage", ago: 60_000),
            row("barcode:STRAY-1", "it-storage", ago: 120_000),
            row("barcode:LAP-00044", "helpdesk", ago: 30_000),
            row("barcode:MON-00007", "helpdesk", ago: 3 * 86_400_000),
        ]
        _ = try await log.append(rows.map(\.0), state: AssetStateChanges(upserts: rows.map(\.1)))
        return log
    }

    static func writeConfig(_ dir: String) throws -> String {
        let file = dir + "/gw.yaml"
        try """
            gateway: { id: gw, dataDir: data }
            readers:
              - { id: storage, profile: magicrf/m100, port: /dev/null, antennas: { 1: it-storage-1, 2: helpdesk-1 } }
            zones:
              - { id: it-storage, readPoints: [it-storage-1], aliases: [room-2.14] }
              - { id: helpdesk, readPoints: [helpdesk-1] }
            audit:
              freshness: 24h
              locations: { "HQ Storage Room 2": room-2.14, "Helpdesk, 1st floor": helpdesk }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func aSnipeITExportAgainstTheLogAsATableAndAsJSON() async throws {
        let dir = makeTemporaryDirectory("audit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try await Self.makeLog(dir)
        defer { try? log.close() }
        let config = try Self.writeConfig(dir)
        try Self.snipeIT.write(toFile: dir + "/assets.csv", atomically: true, encoding: .utf8)

        let table = try runTagway(["audit", "--expected", dir + "/assets.csv", "--config", config, "--devices", repositoryDevices])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("freshness 1d, log seq 4"), "\(table.stdout)")
        #expect(table.stdout.contains("Total: 4 expected, 1 found, 2 missing, 1 misplaced, 1 unexpected"), "\(table.stdout)")
        #expect(table.stdout.contains("it-storage: 3 expected, 1 found, 1 missing, 1 misplaced, 1 unexpected"), "\(table.stdout)")
        #expect(table.stdout.contains("helpdesk: 1 expected, 0 found, 1 missing, 0 misplaced, 0 unexpected, 1 expected elsewhere"), "\(table.stdout)")
        #expect(table.stdout.contains("  misplaced   LAP-00044            barcode:LAP-00044              since "), "\(table.stdout)")

        let json = try runTagway(["audit", "--expected", dir + "/assets.csv", "--config", config, "--devices", repositoryDevices,
                                  "--json", "--zone", "room-2.14"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["zone"] as? String == "it-storage")
        #expect(object["lastSeq"] as? Int == 4)
        #expect(object["totals"] as? [String: Int] == ["expected": 3, "found": 1, "missing": 1, "misplaced": 1, "unexpected": 1])
        let zone = try #require((object["zones"] as? [[String: Any]])?.first)
        #expect((zone["found"] as? [[String: Any]])?.first?["key"] as? String == "urn:epc:id:giai:0614141.LAP-00042")
        #expect((zone["missing"] as? [[String: Any]])?.first?["line"] as? Int == 3)
        #expect((zone["unexpected"] as? [[String: Any]])?.first?["key"] as? String == "barcode:STRAY-1")
    }

    @Test func withoutAConfigurationZonesAreTakenAsWritten() async throws {
        let dir = makeTemporaryDirectory("audit-dir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try await Self.makeLog(dir)
        try log.close()
        try "asset_key;zone\nurn:epc:id:giai:0614141.LAP-00042;it-storage\nMON-00007;helpdesk\n"
            .write(toFile: dir + "/list.txt", atomically: true, encoding: .utf8)
        let result = try runTagway(["audit", "--expected", dir + "/list.txt", "--data-dir", dir + "/data", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["totals"] as? [String: Int] == ["expected": 2, "found": 1, "missing": 1, "misplaced": 0, "unexpected": 2])
        // A Snipe-IT location needs the configuration's map.
        try Self.snipeIT.write(toFile: dir + "/assets.csv", atomically: true, encoding: .utf8)
        let unmapped = try runTagway(["audit", "--expected", dir + "/assets.csv", "--data-dir", dir + "/data"])
        #expect(unmapped.status == 2)
        #expect(unmapped.stderr.contains("assets.csv:2: Location: location 'HQ Storage Room 2' is not in audit.locations"), "\(unmapped.stderr)")
    }

    @Test func badInputIsExit2WithEveryProblemOnItsLine() async throws {
        let dir = makeTemporaryDirectory("audit-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try await Self.makeLog(dir)
        try log.close()
        let config = try Self.writeConfig(dir)
        try "Asset Tag,zone\nLAP-1,it-storage\nLAP-2,warehouse\nLAP-1,helpdesk\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try runTagway(["audit", "--expected", dir + "/bad.csv", "--config", config, "--devices", repositoryDevices])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr == """
            bad.csv:3: zone: unknown zone 'warehouse'; use one of helpdesk, it-storage, storage
            bad.csv:4: Asset Tag: LAP-1 is listed twice (lines 2 and 4); keep one row per asset

            """, "\(bad.stderr)")
        try Data([0x41, 0x73, 0x73, 0x65, 0x74, 0x20, 0x54, 0x61, 0x67, 0x2C, 0x7A, 0x6F, 0x6E, 0x65, 0x0A, 0x42, 0xFC, 0x2C, 0x61, 0x0A])
            .write(to: URL(fileURLWithPath: dir + "/latin1.csv"))
        let latin1 = try runTagway(["audit", "--expected", dir + "/latin1.csv", "--config", config, "--devices", repositoryDevices])
        #expect(latin1.status == 2)
        #expect(latin1.stderr.hasPrefix("latin1.csv:2: byte 16 (0xFC) is not UTF-8"), "\(latin1.stderr)")

        try "key,zone\nLAP-1,helpdesk\n".write(toFile: dir + "/good.csv", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--expected", dir + "/nothing.csv", "--config", config], "cannot read the expected list"),
            (["--expected", dir + "/bad.csv", "--config", config, "--zone", "lab"], "--zone lab: not a zone of"),
            (["--expected", dir + "/bad.csv"], "give --config FILE or --data-dir DIR"),
            (["--expected", dir + "/good.csv", "--data-dir", dir + "/no-log-here"], "no events.sqlite here"),
        ]
        for (arguments, message) in cases {
            let result = try runTagway(["audit", "--devices", repositoryDevices] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
