import CNATS
import Foundation
import TagwayDelivery
import TagwaySinks
import TagwayModel

/// The site process's libnats calls, and nothing else: the durable pull consumer on the gateways'
/// stream, publishes of site events and bucket writes (in batches whose PubAcks are awaited
/// together, see `publishInOrder` and `write`), the key-value bucket, and acks. Every call waits
/// for its answers: the runner carries out one step at a time, in order, and a failure stops the
/// step before anything after it is done (see `SiteRunner`).
///
/// `@unchecked Sendable`: libnats' handles are thread-safe, and the runner's one task uses them.
final class SiteJetStream: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// The lease was taken over (`SiteLeaseKeeper`): the session ends, JetStream is fine.
        var leaseLost = false
    }

    let connection: NATSConnection
    let js: OpaquePointer
    var kv: OpaquePointer?
    /// The bucket's name once open: its rows' subjects are `$KV.<name>.<key>` (see `write`).
    private(set) var bucketName: String?
    private var subscription: OpaquePointer?
    /// Set by `close`, which runs once.
    private var closed = false
    /// Whether the context has published asynchronously (bucket writes, site events in order):
    /// then libnats keeps a timer on it (see `close`).
    var publishedAsync = false
    let waitMilliseconds: Int64
    /// The context's asynchronous publishes' failures (bucket writes). libnats holds it too (the
    /// PubAck handler's closure, retained for it), until `close` has destroyed the context.
    let asyncOutcomes: AsyncPublishOutcomes

    init(connection: NATSConnection, wait: Duration) throws(Failure) {
        self.connection = connection
        waitMilliseconds = max(1, NATSCalls.milliseconds(wait))
        var opts = jsOptions()
        jsOptions_Init(&opts)
        opts.Wait = waitMilliseconds
        // Retained for libnats, which may answer a publish after a failed step: released once
        // the context is destroyed (`close`), when no answer can come any more.
        let outcomes = AsyncPublishOutcomes()
        asyncOutcomes = outcomes
        opts.PublishAsync.AckHandlerClosure = Unmanaged.passRetained(outcomes).toOpaque()
        opts.PublishAsync.AckHandler = AsyncPublishOutcomes.handler
        var ctx: OpaquePointer?
        let status = natsConnection_JetStream(&ctx, connection.pointer, &opts)
        guard status == NATS_OK, let ctx else { throw Failure(description: "JetStream context: \(NATSConnection.lastError(status))") }
        js = ctx
    }

    /// Opens the bucket, creating it (history 1, `replicas`) when missing.
    func openBucket(_ name: String, replicas: Int) throws(Failure) {
        var store: OpaquePointer?
        if js_KeyValue(&store, js, name) == NATS_OK, let store {
            kv = store
            bucketName = name
            return
        }
        var config = kvConfig()
        kvConfig_Init(&config)
        let cName = strdup(name)
        defer { free(cName) }
        config.Bucket = UnsafePointer(cName)
        config.History = 1
        config.Replicas = Int32(replicas)
        let status = js_CreateKeyValue(&store, js, &config)
        guard status == NATS_OK, let store else {
            throw Failure(description: "key-value bucket '\(name)': \(NATSConnection.lastError(status))")
        }
        kv = store
        bucketName = name
    }

    /// Frees the context's libnats objects, once, at the end of its session (or of the API
    /// reader's connection), before the connection is closed; nothing may use the context after.
    ///
    /// - The durable pull subscription: `natsSubscription_Destroy` only. Since libnats 3.4.0 it
    ///   frees the subscription and leaves the consumer on the server; `natsSubscription_Unsubscribe`
    ///   (or `Drain`) would delete the consumer when this subscribe created it, durable or not,
    ///   and the next session would start the stream over. Every message fetched through it must
    ///   be released first and never acked after: a libnats message keeps a bare pointer to its
    ///   subscription, and an ack or in-progress after this would write through freed memory.
    /// - The bucket's `kvStore`, then the context (`jsCtx_Destroy`). A context that published
    ///   asynchronously holds a timer for the PubAcks' deadlines (each publish's `MaxWait`);
    ///   libnats 3.4 frees the context from that timer's thread when it is destroyed while the
    ///   timer fires (nats.c issue 880, fixed in 3.11), so such a context is destroyed once every
    ///   deadline has passed, the timer idle.
    func close() {
        guard !closed else { return }
        closed = true
        if let subscription { natsSubscription_Destroy(subscription) }
        subscription = nil
        if let kv { kvStore_Destroy(kv) }
        kv = nil
        let handlerClosure = HandlerClosure(outcomes: Unmanaged.passUnretained(asyncOutcomes))
        guard publishedAsync else {
            jsCtx_Destroy(js)
            return handlerClosure.release()
        }
        NATSCalls.destroyContext(js, afterPublishesWaiting: waitMilliseconds) { handlerClosure.release() }
    }

    /// The reference `init` retained for the PubAck handler, released when the context is gone
    /// (before, every ended session kept its outcomes for the life of the process).
    private struct HandlerClosure: @unchecked Sendable {
        let outcomes: Unmanaged<AsyncPublishOutcomes>
        func release() { outcomes.release() }
    }

    /// Creates the site events' stream when missing (de-duplicating by `Nats-Msg-Id`).
    func ensureStream(_ spec: JetStreamStreamSpec) throws(Failure) {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        let status = js_GetStreamInfo(&info, js, spec.name, nil, &code)
        jsStreamInfo_Destroy(info)
        if status == NATS_OK { return }
        if let failure = NATSCalls.addStream(spec, js: js) { throw Failure(description: failure) }
    }

    /// Binds (creating when missing) the durable pull consumer: explicit acks, `ackWait`, from
    /// the start of the stream, only this site's subjects.
    func subscribe(stream: String, filter: String, durable: String, ackWait: Duration) throws(Failure) {
        var opts = jsSubOptions()
        jsSubOptions_Init(&opts)
        let cStream = strdup(stream), cFilter = strdup(filter), cDurable = strdup(durable)
        defer {
            free(cStream)
            free(cFilter)
            free(cDurable)
        }
        opts.Stream = UnsafePointer(cStream)
        opts.Config.Durable = UnsafePointer(cDurable)
        opts.Config.AckPolicy = js_AckExplicit
        opts.Config.DeliverPolicy = js_DeliverAll
        opts.Config.AckWait = NATSCalls.nanoseconds(ackWait)
        opts.Config.MaxAckPending = -1
        opts.Config.FilterSubject = UnsafePointer(cFilter)
        var sub: OpaquePointer?
        var code = jsErrCode(0)
        let status = js_PullSubscribe(&sub, js, filter, durable, nil, &opts, &code)
        guard status == NATS_OK, let sub else {
            throw Failure(description: "consumer '\(durable)' on stream '\(stream)': \(NATSConnection.lastError(status)) (JetStream error \(code.rawValue))")
        }
        subscription = sub
    }

    /// A message of the gateways' stream: its payload, and the handle to ack it by.
    struct Message: @unchecked Sendable {
        let handle: OpaquePointer
        var payload: [UInt8] {
            let length = Int(natsMsg_GetDataLength(handle))
            guard length > 0, let data = natsMsg_GetData(handle) else { return [] }
            return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
        }

        /// The gateway's clock at the publish (its `Tagway-Sent-At` header) and the stream's when
        /// it stored the message; nil when the header is missing (an older gateway) or is not a
        /// number of milliseconds.
        var sent: (at: Timestamp, storedAt: Timestamp)? {
            var text: UnsafePointer<CChar>?
            guard natsMsgHeader_Get(handle, JetStreamSink.sentAtHeader, &text) == NATS_OK, let text,
                  let sentAt = Int64(String(cString: text)) else { return nil }
            var meta: UnsafeMutablePointer<jsMsgMetaData>?
            guard natsMsg_GetMetaData(&meta, handle) == NATS_OK, let meta else { return nil }
            defer { jsMsgMetaData_Destroy(meta) }
            return (Timestamp(milliseconds: sentAt), Timestamp(milliseconds: meta.pointee.Timestamp / 1_000_000))
        }

        /// The identity of the gateway's event log (its `Tagway-Log-Id` header); "" when the
        /// header is missing (an older gateway): see `GatewayLogSequencers`.
        var logID: String {
            var text: UnsafePointer<CChar>?
            guard natsMsgHeader_Get(handle, JetStreamSink.logIDHeader, &text) == NATS_OK, let text else { return "" }
            return String(cString: text)
        }
    }

    /// Up to `batch` messages, waiting at most `timeout` for the first; [] when none came.
    ///
    /// Messages already in the subscription (left over from an earlier fetch that returned before
    /// all it asked for had come) are taken one fetch of 1 at a time, and only an empty
    /// subscription gets a fetch of `batch`. libnats before 3.9 (Debian's 3.4.1) counts a fetch's
    /// messages against the batch *less* those left over, so with more than half a batch left
    /// over it goes on storing messages past the end of its array of `batch` pointers while more
    /// come (nats.c #749, "heap buffer overflow in _fetch", fixed in 3.9.0): the site's heap
    /// corruption under load, reproduced by `SiteFetchTests`. A fetch of 1 never overflows (it
    /// returns at its first message), and one of `batch` that starts with nothing left over
    /// counts against the whole batch.
    func fetch(batch: Int, timeout: Duration) throws(Failure) -> [Message] {
        guard let subscription else { return [] }
        var out: [Message] = []
        while out.count < batch, Self.leftOver(subscription) {
            let taken: [Message]
            do { taken = try fetchOnce(subscription, batch: 1, milliseconds: 1) } catch {
                out.forEach(release)
                throw error
            }
            if taken.isEmpty { break }
            out += taken
        }
        if !out.isEmpty { return out }
        return try fetchOnce(subscription, batch: batch, milliseconds: max(1, NATSCalls.milliseconds(timeout)))
    }

    /// Whether the pull subscription holds messages no fetch has returned yet (tests).
    var leftOverInSubscription: Bool { subscription.map(Self.leftOver) ?? false }

    /// Whether messages (or status messages) wait in the subscription already.
    private static func leftOver(_ subscription: OpaquePointer) -> Bool {
        var messages: Int32 = 0, bytes: Int32 = 0
        return natsSubscription_GetPending(subscription, &messages, &bytes) == NATS_OK && messages > 0
    }

    private func fetchOnce(_ subscription: OpaquePointer, batch: Int, milliseconds: Int64) throws(Failure) -> [Message] {
        var list = natsMsgList()
        let status = natsSubscription_Fetch(&list, subscription, Int32(batch), milliseconds, nil)
        if status == NATS_TIMEOUT { return [] }
        guard status == NATS_OK else { throw Failure(description: "fetch: \(NATSConnection.lastError(status))") }
        var out: [Message] = []
        for i in 0..<Int(list.Count) {
            if let msg = list.Msgs[i] {
                out.append(Message(handle: msg))
                list.Msgs[i] = nil
            }
        }
        natsMsgList_Destroy(&list)
        return out
    }

    /// Messages the consumer has not delivered yet, after this one (0 when caught up).
    func pending(after message: Message) -> UInt64 {
        var meta: UnsafeMutablePointer<jsMsgMetaData>?
        guard natsMsg_GetMetaData(&meta, message.handle) == NATS_OK, let meta else { return 0 }
        defer { jsMsgMetaData_Destroy(meta) }
        return meta.pointee.NumPending
    }

    /// Acks without waiting for the stream's answer (`flushAcks` waits once for a step's acks).
    /// An ack is sent only once the bucket's position has passed the message, so an ack that is
    /// lost only brings the message back, and the view drops it as one it has applied.
    func ack(_ message: Message) throws(Failure) {
        let status = natsMsg_Ack(message.handle, nil)
        guard status == NATS_OK else { throw Failure(description: "ack: \(NATSConnection.lastError(status))") }
    }

    /// Waits until the server has read everything sent so far (a PING's PONG): a step's acks
    /// leave the process before the next fetch, and a broken connection shows here.
    func flushAcks() throws(Failure) {
        let status = natsConnection_FlushTimeout(connection.pointer, waitMilliseconds)
        guard status == NATS_OK else { throw Failure(description: "acks: \(NATSConnection.lastError(status))") }
    }

    /// Tells the stream a held message is still being worked on (its AckWait starts again).
    func inProgress(_ message: Message) { _ = natsMsg_InProgress(message.handle, nil) }

    func release(_ message: Message) { natsMsg_Destroy(message.handle) }

    /// Publishes and waits for the PubAck (a duplicate, an event a previous process published, is fine).
    func publish(subject: String, payload: [UInt8], id: String) throws(Failure) {
        let msg: OpaquePointer? = try message(subject: subject, payload: payload, id: id)
        defer { natsMsg_Destroy(msg) }
        var ack: UnsafeMutablePointer<jsPubAck>?
        var code = jsErrCode(0)
        let status = js_PublishMsg(&ack, js, msg, nil, &code)
        jsPubAck_Destroy(ack)
        guard status == NATS_OK else {
            throw Failure(description: "publish \(subject): \(NATSConnection.lastError(status)) (JetStream error \(code.rawValue))")
        }
    }
}
