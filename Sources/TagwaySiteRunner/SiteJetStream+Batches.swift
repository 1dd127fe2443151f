import CNATS
import Foundation
import TagwaySinks

/// What the asynchronous publishes of one batch of bucket writes came to: libnats answers each on
/// its own thread (the context's PubAck handler), the step's task reads the failures once the
/// batch is complete.
final class AsyncPublishOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String] = []

    func failed(_ reason: String) { lock.withLock { failures.append(reason) } }

    /// The failures since the last call, and forgets them.
    func take() -> [String] {
        lock.withLock {
            defer { failures = [] }
            return failures
        }
    }

    /// The context's PubAck handler: owns the message, reports failures (a PubAck is success).
    static let handler: jsPubAckHandler = { _, msg, _, failure, closure in
        defer { natsMsg_Destroy(msg) }
        guard let failure, let closure else { return }
        let text = failure.pointee.ErrText.map { String(cString: $0) } ?? String(cString: natsStatus_GetText(failure.pointee.Err))
        let subject = msg.flatMap { natsMsg_GetSubject($0) }.map { String(cString: $0) } ?? "?"
        Unmanaged<AsyncPublishOutcomes>.fromOpaque(closure).takeUnretainedValue()
            .failed("\(subject): \(text) (code \(failure.pointee.ErrCode.rawValue))")
    }
}

extension SiteJetStream {
    /// How many publishes go out before their PubAcks are awaited together: the lease's renewal
    /// (`tick`) runs between two such chunks, so a long step does not outlive the lease.
    static let asyncChunk = 256

    /// Publishes a step's site events in their order. The first is published and its PubAck
    /// awaited; every later one goes out at once, on the condition that the stream's last message
    /// is the one before it (`Nats-Expected-Last-Msg-Id`), and the PubAcks are awaited together.
    /// So when one is refused or lost, every later one is refused too: the stream never holds a
    /// later site event without the earlier ones, and the step, carried out again, publishes
    /// from the first missing one in order (those already stored come back as duplicates, which
    /// the server answers before it checks the condition). One round trip per chunk instead of
    /// one per site event.
    func publishInOrder(_ publishes: [SiteStep.Publish], tick: () throws(Failure) -> Void) throws(Failure) {
        guard let first = publishes.first else { return }
        publishedAsync = true
        try publish(subject: first.subject, payload: Array(first.payload.utf8), id: first.id)
        var previous = first.id
        for chunk in publishes.dropFirst().chunked(Self.asyncChunk) {
            try tick()
            _ = asyncOutcomes.take()
            for publish in chunk {
                let msg = try message(subject: publish.subject, payload: Array(publish.payload.utf8), id: publish.id)
                var options = jsPubOptions()
                jsPubOptions_Init(&options)
                options.MaxWait = waitMilliseconds
                let status = previous.withCString { last in
                    options.ExpectLastMsgId = last
                    var handle: OpaquePointer? = msg
                    defer { natsMsg_Destroy(handle) }
                    return js_PublishMsgAsync(js, &handle, &options)
                }
                guard status == NATS_OK else { throw Failure(description: "publish \(publish.subject): \(NATSConnection.lastError(status))") }
                previous = publish.id
            }
            try completeAsync("site events")
        }
    }

    /// Writes a step's rows to the bucket all at once: each a publish to the row's subject
    /// (`$KV.<bucket>.<key>`, a delete marked `KV-Operation: DEL`, as the key-value API does),
    /// then one wait for every PubAck. The rows are distinct keys (a step keeps one write per key),
    /// so the order they land in does not matter, and a step that fails is carried out again
    /// whole: one round trip for the step's rows instead of one per row.
    func write(_ writes: [SiteStep.Write], tick: () throws(Failure) -> Void) throws(Failure) {
        guard kv != nil, let bucket = bucketName else { return }
        publishedAsync = true
        var options = jsPubOptions()
        jsPubOptions_Init(&options)
        options.MaxWait = waitMilliseconds
        for chunk in writes.chunked(Self.asyncChunk) {
            try tick()
            _ = asyncOutcomes.take()
            for write in chunk {
                var msg: OpaquePointer? = try message(subject: "$KV.\(bucket).\(write.key)", payload: Array((write.value ?? "").utf8))
                defer { natsMsg_Destroy(msg) }
                if write.value == nil, natsMsgHeader_Set(msg, "KV-Operation", "DEL") != NATS_OK {
                    throw Failure(description: "bucket delete \(write.key): header")
                }
                let status = js_PublishMsgAsync(js, &msg, &options)
                guard status == NATS_OK else { throw Failure(description: "bucket write \(write.key): \(NATSConnection.lastError(status))") }
            }
            try completeAsync("bucket writes")
        }
    }

    /// A message to publish, with `Nats-Msg-Id` when `id` is given; the caller destroys it.
    func message(subject: String, payload: [UInt8], id: String? = nil) throws(Failure) -> OpaquePointer {
        var msg: OpaquePointer?
        let created = payload.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { natsMsg_Create(&msg, subject, nil, $0.baseAddress, Int32($0.count)) }
        }
        guard created == NATS_OK, let msg else { throw Failure(description: "message for \(subject): \(NATSConnection.lastError(created))") }
        if let id, natsMsgHeader_Set(msg, "Nats-Msg-Id", id) != NATS_OK {
            natsMsg_Destroy(msg)
            throw Failure(description: "message for \(subject): its Nats-Msg-Id header")
        }
        return msg
    }

    /// Waits for every asynchronous publish's PubAck; a failure of any is the batch's.
    private func completeAsync(_ what: String) throws(Failure) {
        var wait = jsPubOptions()
        jsPubOptions_Init(&wait)
        wait.MaxWait = waitMilliseconds
        let status = js_PublishAsyncComplete(js, &wait)
        guard status == NATS_OK else { throw Failure(description: "\(what): \(NATSConnection.lastError(status))") }
        let failures = asyncOutcomes.take()
        guard failures.isEmpty else { throw Failure(description: "\(what): \(failures.count) refused, first \(failures[0])") }
    }
}

extension Collection {
    /// The collection in consecutive pieces of at most `size` elements.
    func chunked(_ size: Int) -> [SubSequence] {
        var pieces: [SubSequence] = []
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            pieces.append(self[start..<end])
            start = end
        }
        return pieces
    }
}
