import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Testing
import TagwayAPI
import TagwayEventLog
import TagwayModel
import TagwayTestSupport

/// `/v1/assets`, `/v1/assets/{key}` and `/v1/zones` on a real socket, against rows written with
/// their events into a real SQLite log.
@Suite(.serialized) struct AssetAPITests {
    static let zones = ZoneDirectory([
        .init(id: "dock", name: "Loading dock", mode: "presence", readPoints: ["dock-ant1", "dock-ant2"]),
        .init(id: "door3", mode: "presence", doorInside: ["door3-in"], doorOutside: ["door3-out"]),
        .init(id: "helpdesk", mode: "scan", readPoints: ["helpdesk-scanner"]),
    ])

    /// A pull API with the zones above on 127.0.0.1 (a free port).
    static func serve(_ log: EventLog) async throws -> (APIListener, String) {
        let server = APIServer(log: log, host: "127.0.0.1", port: 0, logger: LogRecorder().logger(level: .critical),
                               zones: Reloadable(zones))
        let listener = try await server.listen()
        return (listener, "http://127.0.0.1:\(listener.port)")
    }

    static func record(_ n: Int, key: String? = nil, zone: String = "dock", lastRead: Int64 = 1_764_000_000_000) -> AssetRecord {
        AssetRecord(tag: TagID(bytes: [0x34, UInt8(n >> 8), UInt8(n & 0xFF)]), isScan: false, technology: "epc-gen2",
                    asset: AssetRef(key: key ?? "urn:epc:id:giai:0614141.\(n)", scheme: "giai", raw: "34\(n)"), zone: zone,
                    since: Timestamp(milliseconds: lastRead - 60_000), readPoint: zone + "-ant1", reader: "uhf-1",
                    lastRead: Timestamp(milliseconds: lastRead), lastReadInZone: Timestamp(milliseconds: lastRead - 5),
                    reads: 7, peakRSSI: -48)
    }

    static func event(_ key: String, _ type: EventType, from: String? = nil, to: String? = nil) -> MovementEvent {
        var rng = SystemRandomNumberGenerator()
        let time = Timestamp(milliseconds: 1_764_000_000_000)
        return MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: "gw",
                             asset: AssetRef(key: key, scheme: "giai", raw: key), from: from, to: to, readPoint: "p")
    }

    static func arrive(_ log: EventLog, _ records: [AssetRecord]) async throws {
        _ = try await log.append(records.map { event($0.asset.key, .arrived, to: $0.zone) },
                                 state: AssetStateChanges(upserts: records))
    }

    @Test func anAssetHasTheDocumentedJSON() {
        var r = Self.record(5)
        r.symbology = "]d2"
        r.doorSide = .inside
        r.episodes = ["laptops \"inside\""]
        r.seq = 12
        #expect(r.json == #"{"key":"urn:epc:id:giai:0614141.5","scheme":"giai","raw":"345","symbology":"]d2","zone":"dock","#
                + #""since":"2025-11-24T15:59:00.000Z","lastSeen":"2025-11-24T16:00:00.000Z","#
                + #""lastSeenInZone":"2025-11-24T15:59:59.995Z","readPoint":"dock-ant1","reader":"uhf-1","rssi":-48,"#
                + #""reads":7,"doorSide":"inside","episodes":["laptops \"inside\""],"stationed":false,"seq":12}"#)
    }

    @Test func listsFiltersAndPages() async throws {
        let dir = Fixture.temporaryDirectory("assets-api")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Self.arrive(log, (0..<25).map { Self.record($0, zone: $0 % 5 == 0 ? "door3" : "dock", lastRead: 1_764_000_000_000 + Int64($0) * 1000) })
        let (listener, base) = try await Self.serve(log)
        defer { listener.stop() }

        let all = try await fetch(base + "/v1/assets")
        #expect(all.status == 200)
        #expect(all.headers["content-type"] == "application/json")
        #expect(all.headers["tagway-last-seq"] == "25")
        #expect(all.object?["lastSeq"] as? Int == 25)
        #expect((all.object?["assets"] as? [[String: Any]])?.count == 25)
        #expect(all.object?["next"] is NSNull)

        let door = try await fetch(base + "/v1/assets?zone=door3")
        #expect((door.object?["assets"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
                == ["urn:epc:id:giai:0614141.0", "urn:epc:id:giai:0614141.10", "urn:epc:id:giai:0614141.15",
                    "urn:epc:id:giai:0614141.20", "urn:epc:id:giai:0614141.5"])
        let prefix = try await fetch(base + "/v1/assets?prefix=urn%3Aepc%3Aid%3Agiai%3A0614141.1")
        #expect((prefix.object?["assets"] as? [[String: Any]])?.count == 11)  // 1, 10...19
        let one = try await fetch(base + "/v1/assets?key=urn:epc:id:giai:0614141.7")
        #expect((one.object?["assets"] as? [[String: Any]])?.first?["zone"] as? String == "dock")
        // 1_764_000_020 s = record 20's last read: records 20...24.
        let recent = try await fetch(base + "/v1/assets?seenSince=1764000020")
        #expect((recent.object?["assets"] as? [[String: Any]])?.count == 5)
        let recentISO = try await fetch(base + "/v1/assets?seenSince=2025-11-24T16:00:20.000Z")
        #expect(recentISO.body == recent.body)

        var keys: [String] = []
        var url = base + "/v1/assets?limit=10"
        var pages = 0
        while true {
            let page = try await fetch(url)
            #expect(page.status == 200)
            keys += (page.object?["assets"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
            pages += 1
            guard let next = page.object?["next"] as? String else { break }
            url = base + "/v1/assets?limit=10&after=" + next
        }
        #expect(pages == 3)
        #expect(keys == (0..<25).map { "urn:epc:id:giai:0614141.\($0)" }.sorted())
    }

    @Test func badParametersAreA400NamingThem() async throws {
        let dir = Fixture.temporaryDirectory("assets-400")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let (listener, base) = try await Self.serve(log)
        defer { listener.stop() }
        let cases: [(String, String)] = [
            ("/v1/assets?limit=0", "limit"), ("/v1/assets?limit=1001", "limit"), ("/v1/assets?limit=ten", "limit"),
            ("/v1/assets?limit=99999999999999999999999", "limit"), ("/v1/assets?seenSince=yesterday", "seenSince"),
            ("/v1/assets?seenSince=99999999999999999", "seenSince"), ("/v1/assets?seenSince=-5", "seenSince"),
            ("/v1/assets?after=not-a-cursor", "after"), ("/v1/assets?key=a&prefix=b", "prefix"), ("/v1/assets?zone=", "zone"),
            ("/v1/assets/x?events=1001", "events"), ("/v1/assets/x?events=-1", "events"),
        ]
        for (path, parameter) in cases {
            let response = try await fetch(base + path)
            #expect(response.status == 400, "\(path)")
            #expect(response.object?["detail"] as? String == parameter, "\(path): \(response.body)")
            #expect((response.object?["error"] as? String)?.hasPrefix(parameter) == true, "\(path): \(response.body)")
        }
        // A path key that decodes to no UTF-8 text (sent raw: an HTTP client library would fix it).
        let text = try await GatewayAPIStartTests.exchange(
            "GET /v1/assets/%FF%FE HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", port: listener.port)
        #expect(text.hasPrefix("HTTP/1.1 400"), "\(text)")
        #expect(text.contains(#""detail":"key""#), "\(text)")
    }

    @Test func oneKeyNowAndWhereItWasLast() async throws {
        let dir = Fixture.temporaryDirectory("assets-key")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let key = "urn:epc:id:giai:0614141.12345"
        var scan = Self.record(2, key: key, zone: "helpdesk")
        scan.tag = TagID(bytes: Array("]d2".utf8) + [0] + Array("8004061414112345".utf8))
        scan.isScan = true
        scan.symbology = "]d2"
        try await Self.arrive(log, [Self.record(1, key: key, zone: "dock"), scan, Self.record(3, key: "odd/key?x", zone: "dock")])
        _ = try await log.append([Self.event(key, .moved, from: "dock", to: "door3")],
                                 state: AssetStateChanges(upserts: [Self.record(1, key: key, zone: "door3")]))
        _ = try await log.append([Self.event("gone", .arrived, to: "dock"), Self.event("gone", .departed, from: "dock")])
        let (listener, base) = try await Self.serve(log)
        defer { listener.stop() }

        let now = try await fetch(base + "/v1/assets/" + key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        #expect(now.status == 200)
        #expect(now.headers["tagway-last-seq"] == "6")
        #expect(now.object?["present"] as? Bool == true)
        #expect((now.object?["assets"] as? [[String: Any]])?.compactMap { $0["zone"] as? String }.sorted() == ["door3", "helpdesk"])
        #expect((now.object?["events"] as? [[String: Any]])?.compactMap { $0["seq"] as? Int } == [4, 2, 1])
        let plain = try await fetch(base + "/v1/assets/" + key + "?events=1")
        #expect((plain.object?["events"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == ["moved"])
        let slashed = try await fetch(base + "/v1/assets/odd%2Fkey%3Fx")
        #expect((slashed.object?["assets"] as? [[String: Any]])?.first?["key"] as? String == "odd/key?x")

        let gone = try await fetch(base + "/v1/assets/gone")
        #expect(gone.status == 200)
        #expect(gone.object?["present"] as? Bool == false)
        #expect((gone.object?["assets"] as? [Any])?.isEmpty == true)
        #expect((gone.object?["events"] as? [[String: Any]])?.first?["from"] as? String == "dock", "where it was last")

        let never = try await fetch(base + "/v1/assets/never-seen")
        #expect(never.status == 404)
        #expect(never.object?["detail"] as? String == "never-seen")
    }

    @Test func zonesListConfiguredOnesWithCountsAndFlagTheOthers() async throws {
        let dir = Fixture.temporaryDirectory("zones")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        try await Self.arrive(log, [Self.record(1, zone: "dock"), Self.record(2, zone: "dock"), Self.record(3, zone: "door3"),
                                    Self.record(4, zone: "old-lab")])
        let (listener, base) = try await Self.serve(log)
        defer { listener.stop() }
        let response = try await fetch(base + "/v1/zones")
        #expect(response.status == 200)
        #expect(response.headers["tagway-last-seq"] == "4")
        #expect(response.body == #"{"zones":[{"id":"dock","name":"Loading dock","mode":"presence","readPoints":["dock-ant1","dock-ant2"],"assets":2,"configured":true},"#
                + #"{"id":"door3","mode":"presence","readPoints":[],"door":{"inside":["door3-in"],"outside":["door3-out"]},"assets":1,"configured":true},"#
                + #"{"id":"helpdesk","mode":"scan","readPoints":["helpdesk-scanner"],"assets":0,"configured":true},"#
                + #"{"id":"old-lab","readPoints":[],"assets":1,"configured":false}],"lastSeq":4}"# + "\n")
    }

    /// `tagway run` hands the API the zones of its configuration.
    @Test func theGatewayListsItsConfiguredZones() async throws {
        let dir = Fixture.temporaryDirectory("zones-run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let apiPort = Fixture.freePort()
        try """
            gateway: { id: zones, dataDir: "\(dir)", devicesDir: "\(GatewayAPIStartTests.devices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(dir)/scanner", readPoint: helpdesk }
            api: { listen: "127.0.0.1:\(apiPort)" }
            zones:
              - { id: helpdesk, name: Help desk, readPoints: [helpdesk], mode: scan }
            """.write(toFile: dir + "/gateway.yaml", atomically: true, encoding: .utf8)
        let gateway = try GatewayRunner(["run", "--config", dir + "/gateway.yaml"], errorFile: dir + "/stderr.log")
        defer { gateway.stop() }
        var body = ""
        let served = await eventually(attempts: 1200) {
            guard let response = try? await fetch("http://127.0.0.1:\(apiPort)/v1/zones"), response.status == 200 else { return false }
            body = response.body
            return true
        }
        #expect(served, "\(gateway.errors)")
        #expect(body == #"{"zones":[{"id":"helpdesk","name":"Help desk","mode":"scan","readPoints":["helpdesk"],"assets":0,"configured":true}],"lastSeq":0}"#
                + "\n")
    }
}
