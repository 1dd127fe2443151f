import Foundation
import Testing
import TagwayEventLog
import TagwayModel

/// `tagway assets` (the real binary) against an asset table written with its events into a real
/// log, which this test keeps open for writing meanwhile, as a running gateway would.
@Suite struct AssetsCommandTests {
    static func row(_ key: String, tag: UInt8, zone: String, lastRead: Int64, rssi: Int? = -51) -> AssetRecord {
        AssetRecord(tag: TagID(bytes: [0x34, tag]), isScan: false, technology: "epc-gen2",
                    asset: AssetRef(key: key, scheme: "giai", raw: key), zone: zone,
                    since: Timestamp(milliseconds: lastRead - 3_600_000), readPoint: zone + "-ant1", reader: "uhf-1",
                    lastRead: Timestamp(milliseconds: lastRead), lastReadInZone: Timestamp(milliseconds: lastRead), reads: 4,
                    peakRSSI: rssi)
    }

    /// A log with four assets: three read a minute ago, one a day ago.
    static func makeLog(_ dir: String) async throws -> EventLog {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let rows = [
            row("urn:epc:id:giai:0614141.12345", tag: 1, zone: "lab", lastRead: now - 60_000),
            row("urn:epc:id:giai:0614141.12346", tag: 2, zone: "dock", lastRead: now - 60_000, rssi: nil),
            row("urn:epc:id:giai:0614141.2", tag: 3, zone: "lab", lastRead: now - 86_400_000),
            row("barcode:50%_off-" + String(repeating: "x", count: 80), tag: 4, zone: "dock", lastRead: now - 60_000),
        ]
        let log = try EventLog(directory: dir)
        var rng = SystemRandomNumberGenerator()
        let events = rows.map { r in
            MovementEvent(id: EventID.make(time: r.since, using: &rng), type: .arrived, time: r.since, gateway: "gw",
                          asset: r.asset, to: r.zone, readPoint: r.readPoint)
        }
        _ = try await log.append(events, state: AssetStateChanges(upserts: rows))
        return log
    }

    static func keys(_ jsonLines: String) -> [String] {
        jsonLines.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["key"] as? String
        }
    }

    @Test func listsFiltersAndPrintsJSONLines() async throws {
        let dir = makeTemporaryDirectory("assets")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try await Self.makeLog(dir)

        let table = try runTagway(["assets", "--data-dir", dir])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("KEY") == true && lines.first?.contains("LAST SEEN") == true, "\(table.stdout)")
        #expect(lines.count == 6, "\(table.stdout)")
        #expect(lines.last == "4 asset(s); state as of event seq 4")
        let lab = try #require(lines.first { $0.hasPrefix("urn:epc:id:giai:0614141.12345 ") })
        #expect(lab.contains("  lab ") && lab.contains("lab-ant1") && lab.hasSuffix("-51"), "\(lab)")
        let long = try #require(lines.first { $0.hasPrefix("barcode:") })
        #expect(long.contains("…") && !long.contains(String(repeating: "x", count: 60)), "widths are bounded: \(long)")
        #expect(lines.first { $0.hasPrefix("urn:epc:id:giai:0614141.12346 ") }?.hasSuffix("-") == true, "no RSSI")

        let json = try runTagway(["assets", "--data-dir", dir, "--json"])
        #expect(json.status == 0)
        #expect(Self.keys(json.stdout).count == 4)
        #expect(Self.keys(json.stdout).contains("barcode:50%_off-" + String(repeating: "x", count: 80)), "whole in JSON")

        let zone = try runTagway(["assets", "--data-dir", dir, "--json", "--zone", "lab"])
        #expect(Self.keys(zone.stdout) == ["urn:epc:id:giai:0614141.12345", "urn:epc:id:giai:0614141.2"])
        let prefix = try runTagway(["assets", "--data-dir", dir, "--json", "--prefix", "urn:epc:id:giai:0614141.1234"])
        #expect(Self.keys(prefix.stdout) == ["urn:epc:id:giai:0614141.12345", "urn:epc:id:giai:0614141.12346"])
        let literal = try runTagway(["assets", "--data-dir", dir, "--json", "--prefix", "barcode:50%_"])
        #expect(Self.keys(literal.stdout).count == 1)
        #expect(Self.keys(try runTagway(["assets", "--data-dir", dir, "--json", "--prefix", "barcode:5_"]).stdout).isEmpty)
        let key = try runTagway(["assets", "--data-dir", dir, "--json", "--key", "urn:epc:id:giai:0614141.2"])
        #expect(Self.keys(key.stdout) == ["urn:epc:id:giai:0614141.2"])
        let recent = try runTagway(["assets", "--data-dir", dir, "--json", "--seen-since", "1h"])
        #expect(Self.keys(recent.stdout).count == 3, "the one read a day ago is left out")
        let since = try runTagway(["assets", "--data-dir", dir, "--json", "--seen-since", "2000-01-01T00:00:00Z"])
        #expect(Self.keys(since.stdout).count == 4)
        let limited = try runTagway(["assets", "--data-dir", dir, "--limit", "2"])
        #expect(limited.stdout.split(separator: "\n").count == 4)
        #expect(limited.stdout.contains("2 asset(s) (more: raise --limit)"), "\(limited.stdout)")
        _ = log
    }

    @Test func findsTheLogThroughTheConfiguration() async throws {
        let dir = makeTemporaryDirectory("assets-config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await Self.makeLog(dir + "/data")
        try """
            gateway: { id: gw, dataDir: "\(dir)/data" }
            readers:
              - { id: r1, profile: magicrf/m100, port: "\(dir)/port" }
            """.write(toFile: dir + "/gw.yaml", atomically: true, encoding: .utf8)
        let result = try runTagway(["assets", "--config", dir + "/gw.yaml", "--devices", repositoryDevices, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.keys(result.stdout).count == 4)
    }

    @Test func noLogOrBadArgumentsAreClearErrors() throws {
        let dir = makeTemporaryDirectory("assets-none")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let none = try runTagway(["assets", "--data-dir", dir])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no events.sqlite here"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/events.sqlite"), "a missing log is not created")
        for (arguments, message) in [
            (["assets"], "give either --data-dir or --config"),
            (["assets", "--data-dir", dir, "--key", "a", "--prefix", "b"], "--key and --prefix exclude each other"),
            (["assets", "--data-dir", dir, "--seen-since", "lately"], "--seen-since 'lately' is neither"),
            (["assets", "--data-dir", dir, "--seen-since", "99999999999999999d"], "--seen-since"),
            (["assets", "--data-dir", dir, "--limit", "0"], "--limit must be at least 1"),
        ] {
            let result = try runTagway(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
