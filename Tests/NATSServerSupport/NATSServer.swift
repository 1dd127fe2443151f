import Foundation
import TagwayTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// One real `nats-server` with JetStream (`-js`) on a free 127.0.0.1 port, its store in a
/// temporary directory, optionally one node of a cluster. The suites that start servers kill
/// them in their teardown (a class suite's deinit), which runs even when a test fails halfway;
/// a server killed here can be started again on the same port and store.
public final class NATSServer: @unchecked Sendable {
    public static let binary = ["/usr/sbin/nats-server", "/usr/bin/nats-server"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Under CI (`CI` set), .ci/install-deps installs nats-server, so a missing one fails the tests.
    public static var available: Bool { binary != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    public let name: String
    public let port: Int
    public let directory: String
    /// The cluster's route port and the other nodes' route ports (nil: a single server).
    public let cluster: (name: String, port: Int, routes: [Int])?
    /// More configuration (authorization, accounts, TLS).
    public let extra: String
    private let lock = NSLock()
    private var process: Process?

    public var url: String { "nats://127.0.0.1:\(port)" }

    public init(name: String = "n1", directory: String, port: Int = NATSServer.freePort(),
                cluster: (name: String, port: Int, routes: [Int])? = nil, extra: String = "") {
        self.name = name
        self.port = port
        self.directory = directory
        self.cluster = cluster
        self.extra = extra
    }

    /// Starts the server (again, after `kill`, on the same port and store) and waits until it
    /// accepts connections.
    public func start() throws {
        let store = directory + "/store-\(name)"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        var config = """
            server_name: \(name)
            listen: 127.0.0.1:\(port)
            jetstream { store_dir: "\(store)" }
            \(extra)

            """
        if let cluster {
            config += """
                cluster {
                  name: \(cluster.name)
                  listen: 127.0.0.1:\(cluster.port)
                  routes: [\(cluster.routes.map { "nats-route://127.0.0.1:\($0)" }.joined(separator: ", "))]
                }

                """
        }
        let file = directory + "/\(name).conf"
        try config.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary ?? "/usr/sbin/nats-server")
        process.arguments = ["-c", file, "-js"]
        process.standardOutput = FileHandle.nullDevice
        // The server's own log, next to its store, for a failing test to be read.
        FileManager.default.createFile(atPath: directory + "/\(name).log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory + "/\(name).log") ?? FileHandle.nullDevice
        try process.run()
        lock.withLock { self.process = process }
        for _ in 0..<200 where !Self.accepts(port: port) { usleep(25_000) }
    }

    /// The server's own log so far, for a failing test's message.
    public var logText: String {
        (try? String(contentsOfFile: directory + "/\(name).log", encoding: .utf8)).map { String($0.suffix(2_000)) } ?? ""
    }

    public var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// SIGKILL: no goodbye to the cluster, as a crashed node or a pulled cable.
    public func kill() {
        let taken = lock.withLock { () -> Process? in
            defer { process = nil }
            return process
        }
        guard let taken else { return }
        if taken.isRunning { Glibc.kill(taken.processIdentifier, SIGKILL) }
        taken.waitUntilExit()
    }

    // MARK: ports

    /// See `LoopbackPort.free()`.
    public static func freePort() -> Int { LoopbackPort.free() }

    static func accepts(port: Int) -> Bool { LoopbackPort.accepts(port) }
}
