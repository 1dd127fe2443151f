import CNATS
import Foundation
import TagwayDelivery
import TagwaySinks

/// Reads a stream's last sequence and a durable consumer's ack floor through libnats, for the
/// site benchmark's samples: how far the gateways' events are stored, and how far the site has
/// applied them (it acks a gateway message only once its step is carried out).
final class JetStreamProbe {
    struct ProbeError: Error, CustomStringConvertible {
        var description: String
    }

    private var connection: OpaquePointer?
    private var context: OpaquePointer?

    init(servers: [String]) throws(ProbeError) {
        nats_Open(-1)
        var opts: OpaquePointer?
        natsOptions_Create(&opts)
        defer { natsOptions_Destroy(opts) }
        var urls = servers.map { strdup($0) }
        defer { urls.forEach { free($0) } }
        _ = urls.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { natsOptions_SetServers(opts, $0.baseAddress, Int32($0.count)) }
        }
        let status = natsConnection_Connect(&connection, opts)
        guard status == NATS_OK else { throw ProbeError(description: "connect to \(servers): \(String(cString: natsStatus_GetText(status)))") }
        var jsOpts = jsOptions()
        jsOptions_Init(&jsOpts)
        jsOpts.Wait = 5_000
        guard natsConnection_JetStream(&context, connection, &jsOpts) == NATS_OK else {
            throw ProbeError(description: "JetStream context on \(servers)")
        }
    }

    deinit {
        jsCtx_Destroy(context)
        natsConnection_Close(connection)
        natsConnection_Destroy(connection)
    }

    /// Creates `spec`'s stream as the sinks would (nil when it exists now, else what failed: a
    /// cluster that has not elected its JetStream meta leader yet answers with an error).
    func addStream(_ spec: JetStreamStreamSpec) -> String? {
        guard let context else { return "no JetStream context" }
        return NATSCalls.addStream(spec, js: context)
    }

    /// The stream's last sequence (0 when it does not exist yet).
    func lastSequence(_ stream: String) -> UInt64 {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        guard js_GetStreamInfo(&info, context, stream, nil, &code) == NATS_OK, let info else { return 0 }
        defer { jsStreamInfo_Destroy(info) }
        return info.pointee.State.LastSeq
    }

    /// The stream sequence up to which the consumer has every message acked (0 when it does not exist yet).
    func ackFloor(_ stream: String, consumer: String) -> UInt64 {
        var info: UnsafeMutablePointer<jsConsumerInfo>?
        var code = jsErrCode(0)
        guard js_GetConsumerInfo(&info, context, stream, consumer, nil, &code) == NATS_OK, let info else { return 0 }
        defer { jsConsumerInfo_Destroy(info) }
        return info.pointee.AckFloor.Stream
    }
}
