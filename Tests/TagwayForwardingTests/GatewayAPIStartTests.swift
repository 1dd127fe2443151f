import AsyncHTTPClient
import Foundation
import Testing
import TagwayAPI
import TagwayEmulators
import TagwayEventLog
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// `tagway run` and its pull API at start and under a connection flood (issue 10): a port that
/// is taken fails the start naming host:port; running as root is warned about; the descriptor
/// limit is raised to the hard limit; and API connections are refused before a reader or the
/// status file is starved of descriptors.
@Suite(.serialized) struct GatewayAPIStartTests {
    static let devices = SinkConfigTests.devices

    /// A gateway with one barcode scanner on `port` and the pull API on `apiPort`.
    static func writeConfig(_ dir: String, id: String, port: String, apiPort: Int) throws -> String {
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: \(id), dataDir: "\(dir)", devicesDir: "\(devices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(port)", readPoint: helpdesk }
            api: { listen: "127.0.0.1:\(apiPort)" }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// `tagway run` through a shell that sets the descriptor limits first.
    static func runLimited(_ limits: String, config: String, errors: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(limits) && exec \"$0\" run --config \"$1\"", GatewayRunner.executable.path, config]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func stop(_ process: Process) async {
        if process.isRunning { process.terminate() }
        if !(await eventually(attempts: 200) { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        await onOwnThread { process.waitUntilExit() }
    }

    static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test func aTakenAPIPortFailsTheStartNamingTheAddress() async throws {
        let dir = Fixture.temporaryDirectory("api-taken")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let taken = try ListeningSocket()
        defer { taken.close() }
        let config = try Self.writeConfig(dir, id: "taken", port: dir + "/scanner", apiPort: taken.port)
        let errors = dir + "/stderr.log"
        let gateway = try GatewayRunner(["run", "--config", config], errorFile: errors)
        let exited = await eventually(attempts: 400) { !gateway.process.isRunning }
        if !exited { gateway.kill9() }
        #expect(exited, "the gateway ran on without its API: \(gateway.errors)")
        #expect(gateway.process.terminationStatus != 0)
        #expect(gateway.errors.contains("pull API cannot listen on 127.0.0.1:\(taken.port): the address is already in use"), "\(gateway.errors)")
        #expect(!gateway.errors.contains("reader(s), event log"), "no reader was started")
    }

    @Test func runningAsRootIsWarnedAndTheDescriptorLimitIsRaised() async throws {
        try #require(geteuid() == 0, "this test checks the warning a root gateway gives; it runs as root in CI")
        let dir = Fixture.temporaryDirectory("api-root")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try Self.writeConfig(dir, id: "root", port: dir + "/scanner", apiPort: Fixture.freePort())
        let errors = dir + "/stderr.log"
        let gateway = try Self.runLimited("ulimit -Sn 256 && ulimit -Hn 4096", config: config, errors: errors)
        let started = await eventually { Self.text(errors).contains("pull API listening on") }
        let limits = Self.text("/proc/\(gateway.processIdentifier)/limits")
        await Self.stop(gateway)
        let log = Self.text(errors)
        #expect(started, "\(log)")
        #expect(log.contains("running as root; give the tagway user access to the readers with the udev rules (make install / udev-rules/70-tagway.rules) and run as that user"), "\(log)")
        #expect(log.contains("descriptor limit raised from 256 to 4096 (the hard limit)"), "\(log)")
        let openFiles = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }?.split(separator: " ").filter { !$0.isEmpty }
        #expect(openFiles?.dropFirst(3).prefix(2).map(String.init) == ["4096", "4096"], "\(limits)")
    }

    /// Soft and hard limit 256: more API connections than the budget allows are opened and held.
    /// The gateway refuses the excess (and logs it), its status file keeps being rewritten, its
    /// reader's port reopens after an unplug and its scans are logged; once the connections
    /// close, the API answers again.
    @Test func aConnectionFloodCannotStarveReadersOrStatus() async throws {
        let dir = Fixture.temporaryDirectory("api-flood")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = dir + "/scanner"
        let apiPort = Fixture.freePort()
        let config = try Self.writeConfig(dir, id: "flood", port: port, apiPort: apiPort)
        let errors = dir + "/stderr.log"
        let before = try Self.scanner(at: port, codes: "A", count: 5)
        defer { before.stop() }
        let gateway = try Self.runLimited("ulimit -n 256", config: config, errors: errors)
        defer { kill(gateway.processIdentifier, SIGKILL) }
        #expect(await eventually { Self.text(errors).contains("pull API listening on") }, "\(Self.text(errors))")
        before.start()
        let log = try EventLog(directory: dir, durability: .normal)
        #expect(try await eventually { try log.lastSeq() >= 5 }, "\(Self.text(errors))")

        var held: [Int32] = []
        defer { held.forEach { close($0) } }
        held = await Self.connections(300, port: apiPort)
        #expect(held.count == 300)
        #expect(await eventually { Self.text(errors).contains("pull API: refusing new connections") }, "\(Self.text(errors))")
        // Most of the reserve stays free (what the gateway opened after start came out of it);
        // without it the flood takes every descriptor up to the limit.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(gateway.processIdentifier)/fd").count) ?? 256
        #expect(256 - open >= 32, "\(open) descriptors open of 256")

        // Status keeps being rewritten: its time changes.
        let statusPath = dir + "/status.json"
        let firstStatus = Self.text(statusPath)
        #expect(await eventually { let now = Self.text(statusPath); return !now.isEmpty && now != firstStatus })

        // Unplug: the scanner goes away; a new one on the same port is opened and read.
        before.stop()
        before.wait()
        let after = try Self.scanner(at: port, codes: "B", count: 5)
        defer { after.stop() }
        after.start()
        let reread = try await eventually(attempts: 600) {
            try log.events(after: 5, limit: 100).filter { $0.asset.raw.hasPrefix("B-") }.count == 5
        }
        #expect(reread, "\(Self.text(errors).suffix(3000))")
        #expect(!Self.text(errors).contains("pull API: accepting connections again"), "the reader reopened while the API was refusing")

        held.forEach { close($0) }
        held = []
        let answered = await eventually {
            (try? await fetch("http://127.0.0.1:\(apiPort)/v1/events?after=0&limit=100"))?.status == 200
        }
        #expect(answered)
        #expect(Self.text(errors).contains("pull API: accepting connections again"), "\(Self.text(errors).suffix(3000))")
        await Self.stop(gateway)
    }

    static func scanner(at path: String, codes prefix: String, count: Int) throws -> SimulatedReader {
        let emulator = try EmulatorFactory.make(protocolID: "barcode-serial", settings: [:])
        let script = (0..<count).map { String(format: "%.2f scan ]C0\(prefix)-%04d", 0.1 * Double($0 + 1), $0) }.joined(separator: "\n")
        return try SimulatedReader(path: path, emulator: emulator, scenario: try Scenario.parse(script))
    }

    /// A TCP connection to 127.0.0.1:`port` (nil when it cannot be made within 5 s).
    /// Sends `request` raw on a new connection and reads until the server closes it (60 s at
    /// most), on a thread of its own: the server may be in this process and need a pool thread
    /// to answer (see `onOwnThread`).
    static func exchange(_ request: String, port: Int) async throws -> String {
        try await onOwnThread {
            guard let fd = connect(port) else { throw POSIXError(.ECONNREFUSED) }
            defer { close(fd) }
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let bytes = Array(request.utf8)
            guard write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
            var reply: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(fd, &buffer, buffer.count)
                guard n > 0 else { break }
                reply += buffer[..<n]
            }
            return String(decoding: reply, as: UTF8.self)
        }
    }

    /// Opens `count` connections (those that connect), on a thread of its own: a connect past a
    /// full listen backlog blocks up to its 5 s send timeout.
    static func connections(_ count: Int, port: Int) async -> [Int32] {
        await onOwnThread { (0..<count).compactMap { _ in connect(port) } }
    }

    static func connect(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            close(fd)
            return nil
        }
        return fd
    }
}

/// A socket the test binds and listens on, so the port is taken for anyone else.
final class ListeningSocket {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(fd) }
}
