import AsyncHTTPClient
import Foundation
import NIOCore
import TagwayEmulators
import TagwaySimulator
import TagwayTestSupport
import Testing

/// `GET /v1/config`, `POST /v1/config/check` and `PUT /v1/config` on the real `tagway run`
/// (issue 13): a bad edit is refused with its line and writes nothing; a good one replaces the
/// file (the old text kept as `.~1~`), reloads, and the next read lands in the new zone; the
/// token's name is logged with the client's address; wrong types, stale versions and a
/// read-only directory write nothing.
@Suite(.serialized) struct ConfigAPIRunTests {
    static let token = "facilities-token-0123456789"
    static let tagA = "3074257BF7194E4000001A85"
    static let tagB = "3034257BF7194E4000001A86"

    static func yaml(_ dir: String, port: Int, zones: String, tokenName: String = "facilities") -> String {
        """
        gateway: { id: cfg, dataDir: "\(dir)/data", devicesDir: "\(SinkConfigTests.devices)" }
        debounce: { departAfter: 30s }
        readers:
          - { id: r1, profile: magicrf/m100, port: "\(dir)/bay1", readPoint: bay-1 }
          - { id: r2, profile: magicrf/m100, port: "\(dir)/bay2", readPoint: bay-2 }
        api:
          listen: "127.0.0.1:\(port)"
          tokens: [{ name: \(tokenName), token: "file:facilities.token" }]
        zones:
        \(zones)
        """
    }

    static func send(_ method: String, _ url: String, _ body: String? = nil, type: String = "application/yaml",
                     headers: [(String, String)] = []) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        // Named, not typed: the method type is NIOHTTP1's, which this target does not depend on.
        switch method {
        case "POST": request.method = .POST
        case "PUT": request.method = .PUT
        default: request.method = .GET
        }
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: type)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let text = try await response.body.collect(upTo: 4 << 20)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return TestResponse(status: Int(response.status.code), headers: fields, body: String(buffer: text))
    }

    /// The `to` zone of the first `arrived` event of `tag`'s asset, from the pull API.
    static func arrivalZone(_ base: String, tagSuffix: String) async throws -> String? {
        let page = try await send("GET", base + "/v1/events?limit=1000")
        let events = (try? JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [[String: Any]]) ?? []
        return events.first { event in
            event["type"] as? String == "arrived" && ((event["asset"] as? [String: Any])?["raw"] as? String)?.hasSuffix(tagSuffix) == true
        }?["to"] as? String
    }

    @Test func aBadEditIsRefusedWithItsLineAndAGoodOneIsWrittenBackedUpAndInForce() async throws {
        let dir = Fixture.temporaryDirectory("config-api")
        // The configuration's directory is a tmpfs of its own, so it can be made read-only below.
        let fs = try Tmpfs("config-api", size: "1m")
        let etc = fs.path
        defer {
            fs.unmount()
            try? FileManager.default.removeItem(atPath: dir)
        }
        try "\(Self.token)\n".write(toFile: etc + "/facilities.token", atomically: true, encoding: .utf8)
        chmod(etc + "/facilities.token", 0o600)
        let port = Fixture.freePort()
        let file = etc + "/gateway.yaml"
        let original = Self.yaml(dir, port: port, zones: "  - { id: dock, readPoints: [bay-1, bay-2] }")
        try original.write(toFile: file, atomically: false, encoding: .utf8)
        let m100 = { try EmulatorFactory.make(protocolID: "magicrf-m100", settings: [:]) }
        let first = try SimulatedReader(path: dir + "/bay1", emulator: m100(), scenario: Scenario.parse("0.2 enter \(Self.tagA) rssi=-50\n"))
        let second = try SimulatedReader(path: dir + "/bay2", emulator: m100(), scenario: Scenario.parse("0.2 enter \(Self.tagB) rssi=-50\n"))
        defer { first.stop(); second.stop() }
        let gateway = try GatewayRunner(["run", "--config", file, "--log-level", "debug"], errorFile: dir + "/stderr.log")
        defer { gateway.stop() }
        #expect(await eventually { gateway.errors.contains("reader r2: connected") }, "\(gateway.errors)")
        let base = "http://127.0.0.1:\(port)"
        first.start()
        #expect(await eventually { (try? await Self.arrivalZone(base, tagSuffix: "1A85")) == "dock" }, "\(gateway.errors)")

        // GET: the file, its etag, what runs.
        let view = try await Self.send("GET", base + "/v1/config")
        #expect(view.status == 200)
        let object = try #require(view.object)
        #expect(object["file"] as? String == file)
        #expect(object["yaml"] as? String == original)
        let etag = try #require(object["etag"] as? String)
        #expect(view.headers["etag"] == etag)
        let running = try #require(object["running"] as? [String: Any])
        #expect(running["readPoints"] as? [String] == ["bay-1", "bay-2"])
        #expect((running["zones"] as? [[String: Any]])?.map { $0["id"] as? String } == ["dock"])
        #expect(object["backups"] as? [String] == [])

        // A mistake: a read point no reader has. 422 with the line and key, nothing written.
        let bad = Self.yaml(dir, port: port, zones: "  - { id: dock, readPoints: [bay-1] }\n  - { id: returns, readPoints: [bay-3] }")
        let badLine = bad.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("bay-3") }! + 1
        for (method, path) in [("POST", "/v1/config/check"), ("PUT", "/v1/config")] {
            let refused = try await Self.send(method, base + path, bad)
            #expect(refused.status == 422, "\(method) \(refused.body)")
            let errors = refused.object?["errors"] as? [[String: Any]] ?? []
            #expect(errors.count == 1, "\(refused.body)")
            #expect(errors.first?["line"] as? Int == badLine)
            #expect(errors.first?["key"] as? String == "zones[1].readPoints[0]")
            #expect((errors.first?["message"] as? String)?.hasPrefix("unknown read point 'bay-3'") == true)
            #expect(refused.object?["ok"] as? Bool == false)
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: etc).sorted() == ["facilities.token", "gateway.yaml"])
        #expect(gateway.errors.contains("configuration not applied by token 'facilities' from 127.0.0.1:"), "\(gateway.errors)")

        // Not YAML's type: 415. Another version's etag: 412. Nothing written either way.
        let good = Self.yaml(dir, port: port, zones: "  - { id: dock, readPoints: [bay-1] }\n  - { id: returns, readPoints: [bay-2] }")
        #expect(try await Self.send("PUT", base + "/v1/config", good, type: "text/plain").status == 415)
        #expect(try await Self.send("PUT", base + "/v1/config", good, type: "application/x-www-form-urlencoded").status == 415)
        let stale = try await Self.send("PUT", base + "/v1/config", good, headers: [("If-Match", "\"0000\"")])
        #expect(stale.status == 412, "\(stale.body)")
        #expect(stale.headers["etag"] == etag)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == original)

        // A good edit: checked, then written with the old text kept, reloaded, and in force.
        let checked = try await Self.send("POST", base + "/v1/config/check", good)
        #expect(checked.status == 200, "\(checked.body)")
        #expect(checked.object?["summary"] as? String == "\(file): OK: gateway cfg, 2 reader(s), read points bay-1, bay-2")
        // A client cannot claim another token's name: the gateway sets the header itself.
        let applied = try await Self.send("PUT", base + "/v1/config", good, headers: [("If-Match", etag), ("Tagway-Token-Name", "admin")])
        #expect(applied.status == 200, "\(applied.body)")
        #expect(applied.object?["applied"] as? Bool == true)
        #expect(applied.object?["backup"] as? String == "gateway.yaml.~1~")
        #expect(applied.object?["changes"] as? [String] == ["zone dock: readPoints bay-1, bay-2 → bay-1", "zone returns added"])
        #expect(applied.object?["restartNeeded"] as? [String] == [])
        // The zone list the console's Zones page reads has the new zone at once, no restart.
        let zones = try await Self.send("GET", base + "/v1/zones")
        let listed = ((try? JSONSerialization.jsonObject(with: Data(zones.body.utf8)) as? [String: Any])?["zones"] as? [[String: Any]]) ?? []
        #expect(listed.compactMap { $0["id"] as? String } == ["dock", "returns"], "\(zones.body)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == good)
        #expect(try String(contentsOfFile: etc + "/gateway.yaml.~1~", encoding: .utf8) == original)
        #expect(gateway.errors.contains("configuration applied by token 'facilities' from 127.0.0.1:"), "\(gateway.errors)")
        #expect(gateway.errors.contains("zone dock: readPoints bay-1, bay-2 → bay-1; zone returns added; backup gateway.yaml.~1~"))
        #expect(!gateway.errors.contains("'admin'"))
        second.start()
        #expect(await eventually { (try? await Self.arrivalZone(base, tagSuffix: "1A86")) == "returns" }, "\(gateway.errors)")
        // The file watch sees the apply's own write and does not reload it a second time.
        #expect(await eventually { gateway.errors.contains("configuration file changed (file change) to the text already loaded") },
                "\(gateway.errors)")
        #expect(gateway.errors.components(separatedBy: "configuration reloaded").count == 2, "\(gateway.errors)")
        let after = try #require(try await Self.send("GET", base + "/v1/config").object)
        #expect(after["etag"] as? String == applied.object?["etag"] as? String)
        #expect(after["backups"] as? [String] == ["gateway.yaml.~1~"])

        // A rename of the token, applied with the token: the next apply is logged with the new name.
        let renamed = Self.yaml(dir, port: port, zones: "  - { id: dock, readPoints: [bay-1] }\n  - { id: returns, readPoints: [bay-2] }",
                                tokenName: "dock-team")
        let renaming = try await Self.send("PUT", base + "/v1/config", renamed)
        #expect(renaming.object?["changes"] as? [String] == ["api token facilities removed", "api token dock-team added"], "\(renaming.body)")
        #expect(renaming.object?["backup"] as? String == "gateway.yaml.~2~")
        #expect(try await Self.send("PUT", base + "/v1/config", good).status == 200)
        #expect(gateway.errors.contains("configuration applied by token 'dock-team' from 127.0.0.1:"), "\(gateway.errors)")

        // check-config says the same as the check, word for word.
        let refused = try await Self.send("POST", base + "/v1/config/check", bad)
        let cli = try Self.checkConfig(bad, at: file)
        #expect(cli.status == 2)
        #expect(refused.object?["text"] as? String == cli.stderr)

        // A directory that cannot be written: 500 naming it, nothing applied.
        let beforeReadOnly = try #require(try await Self.send("GET", base + "/v1/config").object?["etag"] as? String)
        try fs.remount(readOnly: true)
        let readOnly = try await Self.send("PUT", base + "/v1/config", original)
        #expect(readOnly.status == 500, "\(readOnly.body)")
        #expect(readOnly.object?["detail"] as? String == "cannot create a file in \(etc): Read-only file system", "\(readOnly.body)")
        #expect(try await Self.send("GET", base + "/v1/config").object?["etag"] as? String == beforeReadOnly)
        #expect(gateway.process.isRunning)
    }

    /// `tagway check-config` on `text` written at `path` (then put back): its status and stderr.
    static func checkConfig(_ text: String, at path: String) throws -> (status: Int32, stderr: String) {
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? saved.write(toFile: path, atomically: false, encoding: .utf8) }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = GatewayRunner.executable
        process.arguments = ["check-config", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
