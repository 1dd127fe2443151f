import CMosquitto
import Foundation
import TagwayTestSupport

/// A mosquitto broker started by the test on a free 127.0.0.1 port, with a generated config
/// (persistence in the test's temporary directory), stopped by the test.
final class MosquittoBroker {
    static let binary = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Under CI (`CI` set) mosquitto is installed by .ci/install-deps, so the tests always run
    /// there and a missing broker fails them rather than skipping them quietly.
    static var available: Bool { binary != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    let port: Int
    let directory: String
    private var process: Process?

    /// Extra configuration after the plain anonymous listener on `port` (e.g. a TLS listener).
    let extra: String

    init(directory: String, port: Int = Fixture.freePort(), extra: String = "") {
        self.port = port
        self.directory = directory
        self.extra = extra
    }

    /// Writes `dir/passwd` with one user, for brokers started with `password_file`.
    static func writePasswordFile(in dir: String, user: String, password: String) throws {
        let passwd = Process()
        passwd.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_passwd")
        passwd.arguments = ["-b", "-c", dir + "/passwd", user, password]
        try passwd.run()
        passwd.waitUntilExit()
    }

    func start() throws {
        let config = directory + "/mosquitto.conf"
        try """
            per_listener_settings true
            persistence true
            persistence_location \(directory)/
            user root
            log_dest stderr
            log_type error
            listener \(port) 127.0.0.1
            allow_anonymous true
            \(extra)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        // The test process blocks SIGTERM in its threads and a child inherits the mask, so the
        // broker is started through a tiny Python exec that clears it (SIGTERM saves sessions).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                             Self.binary ?? "mosquitto", "-c", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<200 where !accepts() { usleep(25_000) }
    }

    /// SIGTERM: the broker saves its persistent sessions and exits (SIGKILL if it has not after 5 s).
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
    }

    private func accepts() -> Bool { LoopbackPort.accepts(port) }
}

/// A test subscriber through libmosquitto: a persistent session (clean session off) subscribed
/// at QoS 1, collecting every message with its topic.
final class MQTTTestSubscriber: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [(topic: String, payload: String)] = []
    private var subscriptions = 0
    private var mosq: OpaquePointer?
    let filter: String

    init(port: Int, clientID: String, filter: String) {
        self.filter = filter
        mosquitto_lib_init()
        let context = Unmanaged.passUnretained(self).toOpaque()
        mosq = mosquitto_new(clientID, false, context)
        mosquitto_connect_callback_set(mosq) { mosq, context, rc in
            guard rc == 0, let context else { return }
            let me = Unmanaged<MQTTTestSubscriber>.fromOpaque(context).takeUnretainedValue()
            mosquitto_subscribe(mosq, nil, me.filter, 1)
        }
        mosquitto_subscribe_callback_set(mosq) { _, context, _, _, _ in
            guard let context else { return }
            let me = Unmanaged<MQTTTestSubscriber>.fromOpaque(context).takeUnretainedValue()
            me.lock.withLock { me.subscriptions += 1 }
        }
        mosquitto_message_callback_set(mosq) { _, context, message in
            guard let context, let message else { return }
            let me = Unmanaged<MQTTTestSubscriber>.fromOpaque(context).takeUnretainedValue()
            let topic = String(cString: message.pointee.topic)
            let payload = message.pointee.payload.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(message.pointee.payloadlen)), as: UTF8.self)
            } ?? ""
            me.lock.withLock { me.messages.append((topic, payload)) }
        }
        mosquitto_reconnect_delay_set(mosq, 1, 2, false)
        mosquitto_connect_async(mosq, "127.0.0.1", Int32(port), 30)
        mosquitto_loop_start(mosq)
    }

    var received: [(topic: String, payload: String)] { lock.withLock { messages } }
    var subscribed: Int { lock.withLock { subscriptions } }

    func close() {
        guard let mosq else { return }
        mosquitto_disconnect(mosq)
        mosquitto_loop_stop(mosq, false)
        mosquitto_destroy(mosq)
        self.mosq = nil
    }
}
