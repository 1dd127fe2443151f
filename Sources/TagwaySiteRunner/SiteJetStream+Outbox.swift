import CNATS
import Foundation
import TagwaySinks

/// The calls the site's outbox makes: the site events stream read by stream sequence (the
/// sinks' `seq`), and the sinks' cursors in the bucket.
extension SiteJetStream {
    /// The stream's first and last sequence (0, 0 when empty or not created yet).
    func bounds(ofStream stream: String) throws(Failure) -> (first: UInt64, last: UInt64) {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        let status = js_GetStreamInfo(&info, js, stream, nil, &code)
        if code == JSStreamNotFoundErr { return (0, 0) }
        guard status == NATS_OK, let info else {
            throw Failure(description: "stream '\(stream)': \(NATSConnection.lastError(status)) (JetStream error \(code.rawValue))")
        }
        defer { jsStreamInfo_Destroy(info) }
        return (info.pointee.State.FirstSeq, info.pointee.State.LastSeq)
    }

    /// The payload of the message at `sequence`; nil when the stream no longer holds it (max age).
    func message(stream: String, sequence: UInt64) throws(Failure) -> [UInt8]? {
        var msg: OpaquePointer?
        var code = jsErrCode(0)
        let status = js_GetMsg(&msg, js, stream, sequence, nil, &code)
        if status == NATS_NOT_FOUND || code == JSNoMessageFoundErr { return nil }
        guard status == NATS_OK, let msg else {
            throw Failure(description: "stream '\(stream)' message \(sequence): \(NATSConnection.lastError(status)) (JetStream error \(code.rawValue))")
        }
        defer { natsMsg_Destroy(msg) }
        return Message(handle: msg).payload
    }
}

/// What the site's API reads of the durable consumer.
extension SiteJetStream {
    /// Messages the consumer has not delivered yet, and delivered but not acked (nil when it
    /// does not exist yet).
    func consumerPending(stream: String, consumer: String) throws(Failure) -> (pending: UInt64, ackPending: Int64)? {
        var info: UnsafeMutablePointer<jsConsumerInfo>?
        var code = jsErrCode(0)
        let status = js_GetConsumerInfo(&info, js, stream, consumer, nil, &code)
        if status == NATS_NOT_FOUND || code == JSConsumerNotFoundErr || code == JSStreamNotFoundErr { return nil }
        guard status == NATS_OK, let info else {
            throw Failure(description: "consumer '\(consumer)': \(NATSConnection.lastError(status)) (JetStream error \(code.rawValue))")
        }
        defer { jsConsumerInfo_Destroy(info) }
        return (info.pointee.NumPending, info.pointee.NumAckPending)
    }
}
