import CMosquitto
import Foundation
import Logging
import Synchronization
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// Publishes each event at QoS 1 through libmosquitto, with a persistent session (clean session
/// off, a fixed client id); an event counts as delivered only when the broker acknowledged it
/// (PUBACK). libmosquitto's network thread reconnects with exponential backoff.
public final class MQTTSink: Sink, Sendable {
    public let id: String
    public var kind: String { "mqtt" }
    let options: MQTTOptions
    let timers: GatewayClock
    let state = MQTTSessionState()
    /// The client, created by the first delivery and destroyed by `shutdown`.
    private let handle = Mutex<MosquittoHandle?>(nil)
    private let logger = Logger(label: "tagway.mqtt")

    private static let libraryReady: Bool = {
        mosquitto_lib_init()
        return true
    }()

    /// `timers`: what the waits for the broker's CONNACK and PUBACKs are measured and slept on.
    public init(id: String, options: MQTTOptions, timers: GatewayClock = .system) {
        self.id = id
        self.options = options
        self.timers = timers
    }

    public func deliver(_ events: [MovementEvent]) async -> DeliveryOutcome {
        let mosq: OpaquePointer
        switch connect() {
        case .success(let handle): mosq = handle.pointer
        case .failure(let failure): return .retry(reason: failure.message, after: nil)
        }
        let watch = timers.stopwatch()
        while !state.connected, watch.elapsed() < options.ackTimeout, !Task.isCancelled {
            await state.wakeup.wait(timeout: .milliseconds(200), clock: timers)
        }
        guard state.connected else { return .retry(reason: "not connected to \(options.host):\(options.port)\(state.lastProblem.map { " (\($0))" } ?? "")", after: nil) }
        state.beginBatch()
        var mids: [Int32] = []
        for event in events {
            let topic = MQTTTopic.render(options.topic, event)
            let payload = Array(event.json.utf8)
            var mid: Int32 = 0
            let rc = payload.withUnsafeBytes { bytes in
                mosquitto_publish(mosq, &mid, topic, Int32(bytes.count), bytes.baseAddress, 1, false)
            }
            guard rc == MOSQ_ERR_SUCCESS.rawValue else {
                return .retry(reason: "publish failed: \(String(cString: mosquitto_strerror(rc)))", after: nil)
            }
            mids.append(mid)
        }
        while !state.acknowledged(mids), watch.elapsed() < options.ackTimeout, !Task.isCancelled {
            await state.wakeup.wait(timeout: .milliseconds(200), clock: timers)
        }
        guard state.acknowledged(mids) else {
            return .retry(reason: "broker did not acknowledge \(mids.count) messages in time", after: nil)
        }
        return .delivered
    }

    /// Creates the client and starts its network thread once; later calls return it.
    private func connect() -> Result<MosquittoHandle, HTTPFailure> {
        handle.withLock { handle -> Result<MosquittoHandle, HTTPFailure> in
            if let handle { return .success(handle) }
            _ = Self.libraryReady
            let context = Unmanaged.passUnretained(state).toOpaque()
            guard let mosq = mosquitto_new(options.clientID, false, context) else {
                return .failure(HTTPFailure(message: "mosquitto_new failed"))
            }
            mosquitto_connect_callback_set(mosq) { _, context, rc in
                guard let context else { return }
                Unmanaged<MQTTSessionState>.fromOpaque(context).takeUnretainedValue().connected(rc: rc)
            }
            mosquitto_disconnect_callback_set(mosq) { _, context, rc in
                guard let context else { return }
                Unmanaged<MQTTSessionState>.fromOpaque(context).takeUnretainedValue().disconnected(rc: rc)
            }
            mosquitto_publish_callback_set(mosq) { _, context, mid in
                guard let context else { return }
                Unmanaged<MQTTSessionState>.fromOpaque(context).takeUnretainedValue().published(mid: mid)
            }
            if let username = options.username { mosquitto_username_pw_set(mosq, username, options.password) }
            if options.tls {
                let rc = mosquitto_tls_set(mosq, options.caFile, options.caFile == nil ? "/etc/ssl/certs" : nil, nil, nil, nil)
                guard rc == MOSQ_ERR_SUCCESS.rawValue else {
                    mosquitto_destroy(mosq)
                    return .failure(HTTPFailure(message: "TLS setup failed: \(String(cString: mosquitto_strerror(rc)))"))
                }
            }
            mosquitto_reconnect_delay_set(mosq, 1, 60, true)
            let keepAlive = Int32(max(5, options.keepAlive.components.seconds))
            let rc = mosquitto_connect_async(mosq, options.host, Int32(options.port), keepAlive)
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                state.problem("connect: \(String(cString: mosquitto_strerror(rc)))")
            }
            mosquitto_loop_start(mosq)
            let created = MosquittoHandle(pointer: mosq)
            handle = created
            return .success(created)
        }
    }

    public func shutdown() async {
        let taken = handle.withLock { handle -> MosquittoHandle? in
            defer { handle = nil }
            return handle
        }
        guard let mosq = taken?.pointer else { return }
        mosquitto_disconnect(mosq)
        mosquitto_loop_stop(mosq, false)
        mosquitto_destroy(mosq)
    }
}

/// A libmosquitto client. `@unchecked`: libmosquitto's calls on one client are thread-safe once
/// its network thread runs (mosquitto_publish from the delivering task, the callbacks on its own
/// thread); creating and destroying it happen under `MQTTSink.handle`'s lock.
struct MosquittoHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// What libmosquitto's network thread reports (connection, acknowledged message ids), read by
/// the delivering task; the callbacks only touch this, under its lock.
final class MQTTSessionState: Sendable {
    private struct Session {
        var isConnected = false
        var acked: Set<Int32> = []
        var problemText: String?
        /// The last CONNACK was a refusal: the disconnect that follows keeps its reason.
        var refused = false
    }

    let wakeup = Wakeup()
    private let session = Mutex(Session())

    var connected: Bool { session.withLock { $0.isConnected } }
    var lastProblem: String? { session.withLock { $0.problemText } }

    func connected(rc: Int32) {
        session.withLock {
            $0.isConnected = rc == 0
            $0.refused = rc != 0
            $0.problemText = rc == 0 ? nil : MQTTRefusal.connack(rc)
        }
        wakeup.ring()
    }

    func disconnected(rc: Int32) {
        session.withLock {
            $0.isConnected = false
            guard rc != 0 else { return }
            if $0.refused { $0.refused = false } else { $0.problemText = MQTTRefusal.disconnect(rc) }
        }
        wakeup.ring()
    }

    func published(mid: Int32) {
        _ = session.withLock { $0.acked.insert(mid) }
        wakeup.ring()
    }

    func problem(_ text: String) { session.withLock { $0.problemText = text } }

    /// Forgets acknowledgements of earlier batches (message ids wrap at 65535).
    func beginBatch() { session.withLock { $0.acked.removeAll(keepingCapacity: true) } }

    func acknowledged(_ mids: [Int32]) -> Bool {
        session.withLock { acked in mids.allSatisfy { acked.acked.contains($0) } }
    }
}
