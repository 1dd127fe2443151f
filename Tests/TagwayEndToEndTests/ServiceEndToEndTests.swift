import Foundation
import Testing
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator

/// `tagway run` as systemd runs it: the notify protocol on a datagram socket the test binds
/// (READY, WATCHDOG at the asked interval, STATUS, STOPPING), a graceful SIGTERM under load that
/// loses nothing, and the health probes against a reader whose port does not exist.
@Suite(.serialized) struct ServiceEndToEndTests {
    static func scanner(_ dir: String, _ scenario: String) throws -> SimulatedReader {
        let emulator = try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:])
        return try SimulatedReader(path: dir + "/scanner", emulator: emulator, scenario: Scenario.parse(scenario))
    }

    @Test func systemdHearsReadyKeepAlivesStatusAndStopping() async throws {
        let dir = makeTemporaryDirectory("notify")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let listener = try NotifyListener(path: dir + "/notify.sock")
        let reader = try Self.scanner(dir, "0.2 scan ]C0ASSET-1\n")
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(reader.path)", readPoint: helpdesk }
            """, dataDir: dir, environment: ["NOTIFY_SOCKET": dir + "/notify.sock", "WATCHDOG_USEC": "400000"])
        #expect(await listener.wait { $0.contains { $0.hasPrefix("READY=1") } }, "\(gateway.errors)")
        // Keep-alives keep coming (at 200 ms here): count a few after READY, no clock asserted.
        #expect(await listener.wait { messages in
            guard let ready = messages.firstIndex(where: { $0.hasPrefix("READY=1") }) else { return false }
            return messages[ready...].filter { $0 == "WATCHDOG=1" }.count >= 5
        }, "\(listener.messages)")
        #expect(await listener.wait { $0.contains { $0.contains("STATUS=1 readers (1 connected)") } }, "\(listener.messages)")
        reader.start()
        _ = try await gateway.waitForEvents { $0.count >= 1 }
        #expect(await listener.wait { $0.contains { $0.contains("STATUS=") && $0.contains("last seq 1") } }, "\(listener.messages)")
        // A reload (SIGHUP, systemctl reload) is bracketed by RELOADING=1 and a new READY=1.
        kill(gateway.process.processIdentifier, SIGHUP)
        #expect(await listener.wait { messages in
            guard let reloading = messages.firstIndex(where: { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") }) else { return false }
            return messages[reloading...].contains { $0.hasPrefix("READY=1") }
        }, "\(listener.messages)")
        let stderr = gateway.stop()
        #expect(gateway.process.terminationStatus == 0, "\(stderr)")
        let messages = listener.messages
        let stopping = messages.firstIndex { $0.hasPrefix("STOPPING=1") }
        #expect(stopping != nil, "\(messages)")
        if let stopping {
            #expect(!messages[stopping...].contains("WATCHDOG=1"), "keep-alive after STOPPING: \(messages)")
            #expect(messages.firstIndex { $0.hasPrefix("READY=1") }.map { $0 < stopping } == true)
        }
    }

    @Test func sigtermUnderLoadExitsZeroAndLosesNothing() async throws {
        let dir = makeTemporaryDirectory("sigterm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 3000 distinct scans over 6 s: the stop comes while they pour in.
        let count = 3_000
        let script = (0..<count).map { "\(String(format: "%.3f", 0.2 + Double($0) * 0.002)) scan ]C0ASSET-\($0)" }
        let reader = try Self.scanner(dir, script.joined(separator: "\n") + "\n")
        defer { reader.stop() }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(reader.path)", readPoint: helpdesk }
            """, dataDir: dir)
        #expect(try await gateway.waitForLog("reader desk: connected"))
        reader.start()
        let before = try await gateway.waitForEvents { $0.count >= 200 }
        #expect(before.count >= 200)
        let stderr = gateway.stop()
        #expect(gateway.process.terminationStatus == 0, "\(stderr)")
        #expect(!stderr.contains("could not be written"), "\(stderr)")
        let logged = try EventLog.openExisting(directory: dir).events(after: 0, limit: 100_000)
        // Every frame the gateway took from the port (counted in its last status.json) is an
        // event in the log, in the order sent, none twice, none skipped.
        let frames = try Self.framesReceived(dir: dir, reader: "desk")
        #expect(logged.count == frames, "log \(logged.count) vs frames \(frames)\n\(stderr)")
        #expect(logged.count < count, "the stop came after every scan: the test proves nothing")
        #expect(logged.map(\.asset.key) == (0..<logged.count).map { "barcode:ASSET-\($0)" })
    }

    @Test func probesNameTheMissingRequiredReaderAfterItsGrace() async throws {
        let dir = makeTemporaryDirectory("readyz")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)", readyGrace: 1s }
            readers:
              - { id: dock, profile: magicrf/m100, port: "\(dir)/no-such-port" }
              - { id: spare, profile: magicrf/m100, port: "\(dir)/no-such-spare", required: false }
            api: { listen: "127.0.0.1:0" }
            """, dataDir: dir)
        defer { _ = gateway.stop() }
        #expect(try await gateway.waitForLog("pull API listening on"))
        let port = try #require(Self.apiPort(gateway.errors))
        let health = try await HTTPProbe.get(port: port, path: "/healthz")
        #expect(health.status == 200)
        #expect(health.body.contains(#""ok":true"#))
        // Not ready while starting (no heartbeat yet) is right too; wait for the reader's grace to end.
        let dockDown = #""name":"reader:dock","ok":false"#
        var answer = try await HTTPProbe.get(port: port, path: "/readyz")
        let deadline = ContinuousClock.now + .seconds(30)
        while !answer.body.contains(dockDown), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            answer = try await HTTPProbe.get(port: port, path: "/readyz")
        }
        #expect(answer.status == 503, "\(answer.body)")
        // As every 503 of the API: a client is told when to ask again.
        let retryAfter = answer.head.lowercased().components(separatedBy: "\r\n").first { $0.hasPrefix("retry-after:") }
        #expect(retryAfter.flatMap { Int($0.dropFirst("retry-after:".count).trimmingCharacters(in: .whitespaces)) } ?? 0 >= 1,
                "\(answer.head)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        #expect(body["ready"] as? Bool == false)
        let checks = (body["checks"] as? [[String: Any]]) ?? []
        let byName = Dictionary(checks.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["reader:dock"]?["ok"] as? Bool == false, "\(answer.body)")
        #expect((byName["reader:dock"]?["detail"] as? String)?.contains("grace period 1.0s passed") == true, "\(answer.body)")
        #expect(byName["reader:spare"]?["ok"] as? Bool == true, "\(answer.body)")
        #expect(byName["log"]?["ok"] as? Bool == true, "\(answer.body)")
        #expect(byName["pipeline"]?["ok"] as? Bool == true, "\(answer.body)")
        #expect(byName["restart"]?["ok"] as? Bool == true, "\(answer.body)")
        #expect(try await HTTPProbe.get(port: port, path: "/healthz").status == 200)
    }

    /// The port from "pull API listening on [IPv4]127.0.0.1/127.0.0.1:40123".
    static func apiPort(_ stderr: String) -> Int? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("pull API listening on") }),
              let colon = line.lastIndex(of: ":") else { return nil }
        return Int(line[line.index(after: colon)...].prefix { $0.isNumber })
    }

    static func framesReceived(dir: String, reader: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/status.json"))
        let status = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let readers = status?["readers"] as? [[String: Any]] ?? []
        return readers.first { $0["reader"] as? String == reader }?["frames"] as? Int ?? -1
    }
}

/// The test's stand-in for systemd: an AF_UNIX datagram socket at `path`, read on a thread.
final class NotifyListener: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard descriptor >= 0, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw POSIXError(.ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let fd = descriptor
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count <= 0 { break }
                // One message per datagram, as sent (READY=1\nSTATUS=… stays one).
                let message = String(decoding: buffer[..<count], as: UTF8.self)
                lock.withLock { received.append(message) }
            }
        }.start()
    }

    deinit { shutdown(descriptor, Int32(SHUT_RDWR)); close(descriptor) }

    var messages: [String] { lock.withLock { received } }

    /// Polls until `done` holds for the messages so far (bounded).
    func wait(timeout: Duration = .seconds(90), until done: ([String]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if done(messages) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return done(messages)
    }
}

/// One HTTP/1.1 GET over a plain socket: status, header lines and body, nothing more.
enum HTTPProbe {
    static func get(port: Int, path: String) async throws -> (status: Int, head: String, body: String) {
        try await Task.detached {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.EMFILE) }
            defer { close(fd) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
            guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { throw POSIXError(.EPIPE) }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 8192)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count <= 0 { break }
                response += buffer[..<count]
            }
            let text = String(decoding: response, as: UTF8.self)
            let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            let split = text.range(of: "\r\n\r\n")
            let head = split.map { String(text[..<$0.lowerBound]) } ?? text
            let body = split.map { String(text[$0.upperBound...]) } ?? ""
            return (status, head, body)
        }.value
    }
}
