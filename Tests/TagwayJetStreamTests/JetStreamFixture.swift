import CNATS
import Foundation
import Logging
import NATSServerSupport
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime
import TagwaySinks

/// Events, the forwarder and the polling the JetStream tests share.
enum JetStreamFixture {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    static func event(_ i: Int, gateway: String = "gw-1", type: EventType = .arrived) -> MovementEvent {
        var rng = SystemRandomNumberGenerator()
        let time = Timestamp(milliseconds: 1_764_000_000_000 + Int64(i) * 10)
        return MovementEvent(id: EventID.make(time: time, using: &rng), type: type, time: time, gateway: gateway,
                             asset: AssetRef(key: "urn:epc:id:giai:0614141.\(i)", scheme: "giai", raw: "TAG-\(i)"),
                             from: type == .departed ? "dock-3" : nil, to: type == .departed ? nil : "dock-3",
                             readPoint: "door3-in", reader: "door3-uhf", rssi: -55, reads: 3)
    }

    static func options(_ servers: [String], replicas: Int = 1, ackTimeout: Duration = .seconds(2)) -> JetStreamOptions {
        JetStreamOptions(servers: servers, site: "hq", stream: JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"], replicas: replicas),
                         maxInFlight: 64, ackTimeout: ackTimeout, clientName: "tagway-test")
    }

    static func forwarder(_ log: EventLog, sink: JetStreamSink, board: SinkStatusBoard, maxEvents: Int = 100) throws -> Forwarder {
        let policy = DeliveryPolicy(maxEvents: maxEvents, linger: .milliseconds(10), retryInitial: .milliseconds(50), retryMax: .milliseconds(500))
        return try Forwarder(log: log, sinks: [(sink, policy)], retention: RetentionPolicy(maxAge: nil), board: board,
                             logger: logger, clock: .system)
    }
}

/// Polls `condition` every 50 ms, at most `attempts` times; returns whether it held.
func eventually(attempts: Int = 600, _ condition: () async throws -> Bool) async rethrows -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Reads a stream back through libnats, message by message (`js_GetMsg`), as the site view will.
final class StreamReader {
    struct Message {
        var sequence: UInt64
        var subject: String
        var msgID: String?
        var payload: String
    }

    private var connection: OpaquePointer?
    private var context: OpaquePointer?

    init(servers: [String]) throws {
        nats_Open(-1)
        var opts: OpaquePointer?
        natsOptions_Create(&opts)
        defer { natsOptions_Destroy(opts) }
        var urls = servers.map { strdup($0) }
        defer { urls.forEach { free($0) } }
        _ = urls.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { natsOptions_SetServers(opts, $0.baseAddress, Int32($0.count)) }
        }
        natsOptions_SetMaxReconnect(opts, 60)
        natsOptions_SetReconnectWait(opts, 200)
        guard natsConnection_Connect(&connection, opts) == NATS_OK else { throw ReadError("connect to \(servers)") }
        var jsOpts = jsOptions()
        jsOptions_Init(&jsOpts)
        jsOpts.Wait = 5_000
        guard natsConnection_JetStream(&context, connection, &jsOpts) == NATS_OK else { throw ReadError("JetStream context") }
    }

    deinit {
        jsCtx_Destroy(context)
        natsConnection_Close(connection)
        natsConnection_Destroy(connection)
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    /// Messages, last sequence and leader's server name of `stream`; nil when it does not exist.
    func info(_ stream: String) -> (messages: UInt64, lastSequence: UInt64, leader: String?, replicas: Int64)? {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        guard js_GetStreamInfo(&info, context, stream, nil, &code) == NATS_OK, let info else { return nil }
        defer { jsStreamInfo_Destroy(info) }
        let leader = info.pointee.Cluster?.pointee.Leader.map { String(cString: $0) }
        return (info.pointee.State.Msgs, info.pointee.State.LastSeq, leader, info.pointee.Config.pointee.Replicas)
    }

    /// Every message of `stream`, in stream order.
    func messages(_ stream: String) throws -> [Message] {
        guard let info = info(stream) else { throw ReadError("no stream \(stream)") }
        guard info.lastSequence > 0 else { return [] }
        var out: [Message] = []
        for sequence in 1...info.lastSequence {
            var msg: OpaquePointer?
            var code = jsErrCode(0)
            guard js_GetMsg(&msg, context, stream, sequence, nil, &code) == NATS_OK, let msg else { continue }
            defer { natsMsg_Destroy(msg) }
            var id: UnsafePointer<CChar>?
            let hasID = natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK
            let length = Int(natsMsg_GetDataLength(msg))
            let payload = natsMsg_GetData(msg).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
            out.append(Message(sequence: sequence, subject: String(cString: natsMsg_GetSubject(msg)),
                               msgID: hasID ? id.map { String(cString: $0) } : nil, payload: payload))
        }
        return out
    }
}
