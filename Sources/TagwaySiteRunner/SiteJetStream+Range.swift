import CNATS
import Foundation
import TagwaySinks

/// Reading a stretch of the site events stream for the API (`/v1/events` with filters, an
/// asset's latest events): the stream has no index by zone or asset, so a filtered page may read
/// thousands of messages to find a few. One ordered consumer streams them from the first
/// sequence, where getting each message by sequence is a round trip apiece.
extension SiteJetStream {
    /// Below this many messages (less one) `scan` gets each by its sequence.
    static let scanAtLeast: UInt64 = 4

    /// Calls `body` with each message of `stream` from `first` through `last`, in order, until it
    /// returns false. `subjects`: the stream's subjects; an ordered consumer needs its filter to be
    /// the stream's one subject, so a stream of several is read message by message.
    func scan(stream: String, subjects: [String], from first: UInt64, through last: UInt64,
              _ body: (UInt64, [UInt8]) -> Bool) throws(Failure) {
        guard first <= last, last > 0 else { return }
        // A consumer costs its creation and deletion (two requests): for a few messages, a get
        // apiece is cheaper.
        guard subjects.count == 1, last - first >= Self.scanAtLeast else {
            for sequence in first...last {
                guard let payload = try message(stream: stream, sequence: sequence) else { continue }
                if !body(sequence, payload) { return }
            }
            return
        }
        var options = jsSubOptions()
        jsSubOptions_Init(&options)
        options.Ordered = true
        options.Config.DeliverPolicy = js_DeliverByStartSequence
        options.Config.OptStartSeq = max(1, first)
        var sub: OpaquePointer?
        var code = jsErrCode(0)
        let status = stream.withCString { name in
            options.Stream = name
            return js_SubscribeSync(&sub, js, subjects[0], nil, &options, &code)
        }
        guard status == NATS_OK, let sub else {
            throw Failure(description: "read of stream '\(stream)' from \(first): \(NATSConnection.lastError(status)) (JetStream error \(code.rawValue))")
        }
        defer {
            natsSubscription_Unsubscribe(sub)
            natsSubscription_Destroy(sub)
        }
        while true {
            var msg: OpaquePointer?
            let next = natsSubscription_NextMsg(&msg, sub, waitMilliseconds)
            guard next == NATS_OK, let msg else {
                throw Failure(description: "read of stream '\(stream)': \(NATSConnection.lastError(next))")
            }
            defer { natsMsg_Destroy(msg) }
            var meta: UnsafeMutablePointer<jsMsgMetaData>?
            guard natsMsg_GetMetaData(&meta, msg) == NATS_OK, let meta else { continue }
            let sequence = meta.pointee.Sequence.Stream
            jsMsgMetaData_Destroy(meta)
            if sequence > last { return }
            if !body(sequence, Message(handle: msg).payload) || sequence == last { return }
        }
    }
}
