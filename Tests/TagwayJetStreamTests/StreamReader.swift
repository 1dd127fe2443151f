import CNATS
import Foundation

/// Reads a stream back through libnats, message by message (`js_GetMsg`), as the site view will.
final class StreamReader {
    struct Message {
        var sequence: UInt64
        var subject: String
        var msgID: String?
        var payload: String
        /// The `Tagway-Log-Id` header (the gateway's event log), nil when absent.
        var logID: String? = nil
    }

    private var connection: OpaquePointer?
    private(set) var context: OpaquePointer?

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

    /// The message at `sequence`; nil only when the server says it has none there. Any other
    /// failure (a request timing out while the cluster elects a leader, on a loaded machine) is
    /// tried again, then thrown: a message skipped on an error would read as one the stream lost.
    private func message(_ stream: String, _ sequence: UInt64) throws -> OpaquePointer? {
        var last = NATS_OK
        for attempt in 0..<10 {
            if attempt > 0 { usleep(300_000) }
            var msg: OpaquePointer?
            var code = jsErrCode(0)
            last = js_GetMsg(&msg, context, stream, sequence, nil, &code)
            if last == NATS_OK, let msg { return msg }
            natsMsg_Destroy(msg)
            if last == NATS_NOT_FOUND || code == JSNoMessageFoundErr { return nil }
        }
        throw ReadError("stream \(stream) message \(sequence): \(String(cString: natsStatus_GetText(last)))")
    }

    /// Every message of `stream`, in stream order.
    func messages(_ stream: String) throws -> [Message] {
        guard let info = info(stream) else { throw ReadError("no stream \(stream)") }
        guard info.lastSequence > 0 else { return [] }
        var out: [Message] = []
        for sequence in 1...info.lastSequence {
            guard let msg = try message(stream, sequence) else { continue }
            defer { natsMsg_Destroy(msg) }
            var id: UnsafePointer<CChar>?
            let hasID = natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK
            var logID: UnsafePointer<CChar>?
            let hasLogID = natsMsgHeader_Get(msg, "Tagway-Log-Id", &logID) == NATS_OK
            let length = Int(natsMsg_GetDataLength(msg))
            let payload = natsMsg_GetData(msg).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
            out.append(Message(sequence: sequence, subject: String(cString: natsMsg_GetSubject(msg)),
                               msgID: hasID ? id.map { String(cString: $0) } : nil, payload: payload,
                               logID: hasLogID ? logID.map { String(cString: $0) } : nil))
        }
        return out
    }
}
