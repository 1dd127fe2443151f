import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator

/// `GET /v1/status` and `GET /v1/tuning` of the real `tagway run`: one tag read by two readers
/// on ptys (the inside and outside antennas of a door, at different RSSI), asked over HTTP on
/// 127.0.0.1 while it is read.
@Suite(.serialized) struct ConsoleEndpointsTests {
    static let tag = "3414257BF40000000000303A"

    static func objects(_ value: Any?) -> [[String: Any]] { value as? [[String: Any]] ?? [] }

    @Test func statusAndTuningOfARunningGateway() async throws {
        let dir = Fixture.temporaryDirectory("console-endpoints")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m100 = { try EmulatorFactory.make(protocolID: "magicrf-m100", settings: [:]) }
        let inside = try SimulatedReader(path: dir + "/in", emulator: m100(), scenario: Scenario.parse("0.2 enter \(Self.tag) rssi=-50\n"))
        let outside = try SimulatedReader(path: dir + "/out", emulator: m100(), scenario: Scenario.parse("1.0 enter \(Self.tag) rssi=-62\n"))
        let apiPort = Fixture.freePort()
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: console, dataDir: "\(dir)", devicesDir: "\(SinkConfigTests.devices)" }
            debounce: { departAfter: 30s }
            readers:
              - { id: in-uhf, profile: magicrf/m100, port: "\(dir)/in", readPoint: door-in }
              - { id: out-uhf, profile: magicrf/m100, port: "\(dir)/out", readPoint: door-out }
            zones:
              - { id: dock-1, door: { inside: [door-in], outside: [door-out] } }
            movement: { departAfter: 30s }
            api: { listen: "127.0.0.1:\(apiPort)" }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try GatewayRunner(["run", "--config", config], errorFile: dir + "/stderr.log")
        defer { gateway.stop() }
        let base = "http://127.0.0.1:\(apiPort)"
        #expect(await eventually { (try? await fetch(base + "/v1/events"))?.status == 200 }, "\(gateway.errors)")
        inside.start()
        outside.start()
        defer { inside.stop(); outside.stop() }

        // Both read points hear the tag.
        var tuning: [String: Any] = [:]
        let heard = try await eventually(attempts: 600) {
            tuning = try await fetch(base + "/v1/tuning?tag=" + Self.tag).object ?? [:]
            let rows = Self.objects((tuning["tag"] as? [String: Any])?["readPoints"])
            return rows.count == 2 && rows.allSatisfy { ($0["windowReads"] as? Int ?? 0) > 0 }
        }
        #expect(heard, "\(tuning) \(gateway.errors)")
        let settings = try #require(tuning["settings"] as? [String: Any])
        #expect(settings["threshold"] as? Int == 6 && settings["holdoffMs"] as? Int == 500 && settings["moveAfterReads"] as? Int == 2)
        #expect(settings["departAfterMs"] as? Int == 30_000 && (tuning["windowMs"] as? Int ?? 0) > 0)
        #expect(tuning["readPoint"] is NSNull && tuning["time"] is String)
        let tag = try #require(tuning["tag"] as? [String: Any])
        #expect(tag["tag"] as? String == Self.tag && tag["zone"] as? String == "dock-1" && tag["anchor"] as? String == "door-in")
        // The asset as its events name it (the arrival, found with the events filters).
        let arrivals = try await fetch(base + "/v1/events?type=arrived&zone=dock-1")
        let key = try #require((Self.objects(try JSONSerialization.jsonObject(with: Data(arrivals.body.utf8))).first?["asset"]
            as? [String: Any])?["key"] as? String, "\(arrivals.body)")
        #expect(key.hasPrefix("urn:epc:id:giai:") && (tag["asset"] as? [String: Any])?["key"] as? String == key)
        let rows = Self.objects(tag["readPoints"])
        #expect(rows.map { $0["readPoint"] as? String } == ["door-in", "door-out"])
        #expect(rows.map { $0["side"] as? String } == ["inside", "outside"])
        #expect(rows.map { $0["meanRSSI"] as? Double } == [-50, -62], "per read point RSSI")
        #expect(rows.first?["anchor"] as? Bool == true && rows.first?["wins"] is NSNull && rows.first?["requiredMargin"] is NSNull)
        #expect(rows.last?["anchor"] as? Bool == false && rows.last?["wins"] as? Bool == false)
        #expect(rows.last?["requiredMargin"] as? Double == 6)
        #expect(rows.last?["why"] as? String == "mean -62.0 dBm does not beat the anchor's -50.0 + 6.0 dB", "\(rows)")

        // The same tag by its asset key; the read point views; the strongest tag.
        let byAsset = try await fetch(base + "/v1/tuning?asset=" + key)
        #expect((byAsset.object?["tag"] as? [String: Any])?["tag"] as? String == Self.tag, "\(byAsset.body)")
        let point = try await fetch(base + "/v1/tuning?readPoint=door-out")
        let view = try #require(point.object?["readPoint"] as? [String: Any])
        #expect(view["zone"] as? String == "dock-1" && view["side"] as? String == "outside" && view["truncated"] as? Bool == false)
        let listed = Self.objects(view["tags"])
        #expect(listed.map { $0["tag"] as? String } == [Self.tag] && listed.first?["anchor"] as? Bool == false)
        #expect(listed.first?["meanRSSI"] as? Double == -62 && point.object?["tag"] is NSNull)
        let strongest = try await fetch(base + "/v1/tuning?readPoint=door-in&strongest=true")
        #expect((strongest.object?["tag"] as? [String: Any])?["anchor"] as? String == "door-in", "\(strongest.body)")

        // Not present, unknown, refused.
        let absent = try await fetch(base + "/v1/tuning?tag=E2000000")
        #expect(absent.status == 200 && absent.object?["tag"] is NSNull && (absent.object?["note"] as? String)?.contains("not present") == true)
        let unknownAsset = try await fetch(base + "/v1/tuning?asset=urn:epc:id:giai:0614141.999")
        #expect(unknownAsset.status == 200 && unknownAsset.object?["tag"] is NSNull, "\(unknownAsset.body)")
        let nowhere = try await fetch(base + "/v1/tuning?readPoint=nowhere")
        #expect(nowhere.status == 404 && nowhere.object?["detail"] as? String == "readPoint", "\(nowhere.body)")
        for (query, parameter) in [("", "asset"), ("?tag=XYZ", "tag"), ("?tag=ABC", "tag"), ("?asset=a&tag=0A", "tag"),
                                   ("?readPoint=door-in&strongest=maybe", "strongest"), ("?tag=0A&strongest=true", "strongest"),
                                   ("?readPoint=", "readPoint")] {
            let refused = try await fetch(base + "/v1/tuning" + query)
            #expect(refused.status == 400 && refused.object?["detail"] as? String == parameter, "\(query): \(refused.body)")
        }

        // Status: the file's object plus the console's figures.
        let status = try await fetch(base + "/v1/status")
        #expect(status.status == 200 && status.headers["content-type"] == "application/json")
        let s = try #require(status.object, "\(status.body)")
        let version = try GatewayRunner.output(["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(s["gateway"] as? String == "console" && !version.isEmpty && s["version"] as? String == version)
        #expect((s["startedAt"] as? String).flatMap(ISO8601Millis.parse) != nil && (s["time"] as? String).flatMap(ISO8601Millis.parse) != nil)
        #expect((s["timeZone"] as? String)?.isEmpty == false && s["utcOffsetSeconds"] is Int)
        #expect((s["lastSeq"] as? Int ?? 0) >= 1 && s["pid"] is Int && s["zones"] as? Int == 1)
        #expect((s["logId"] as? String).flatMap(UUID.init(uuidString:)) != nil, "the event log's identity (issue 17)")
        let logInfo = try #require(s["log"] as? [String: Any])
        #expect((logInfo["bytes"] as? Int ?? 0) > 4096 && logInfo["heldEvents"] as? Int == 0)
        let readers = Self.objects(s["readers"])
        #expect(readers.map { $0["reader"] as? String } == ["in-uhf", "out-uhf"])
        #expect(readers.allSatisfy { $0["connected"] as? Bool == true && $0["decodeDrops"] is [String: Any] })
        let engine = try #require(s["engine"] as? [String: Any])
        #expect(engine["trackedAssets"] as? Int == 1 && engine["present"] as? Int == 2, "\(engine)")
        #expect((engine["reads"] as? Int ?? 0) >= 2 && engine["scans"] as? Int == 0 && engine["evictions"] as? Int == 0)
        #expect(s["sinks"] is [Any] && s["retention"] is [String: Any])
        // status.json, written from the same builder, has the same readers.
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/status.json"))) as? [String: Any])
        #expect(Self.objects(file["readers"]).map { $0["reader"] as? String } == ["in-uhf", "out-uhf"] && file["gateway"] as? String == "console")
    }
}
