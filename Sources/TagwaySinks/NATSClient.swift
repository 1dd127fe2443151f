import CNATS
import Foundation
import TagwayOutbox
import TagwayModel

/// The JetStream sink's one file of libnats calls: the connection (several servers, TLS, the
/// four ways to log in; no reconnect of its own, see `configure`), the JetStream context whose PubAck handler
/// reports to `JetStreamAnswers`, the stream's check and creation, and asynchronous publishes.
///
/// `@unchecked Sendable`: libnats' connection and JetStream context are thread-safe; this
/// object is created once and destroyed by `close`, which the sink calls once, under its lock.
final class NATSClient: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let connection: OpaquePointer
    private let context: OpaquePointer
    private let answers: JetStreamAnswers
    /// How long libnats keeps an unanswered publish before it reports a timeout and forgets it
    /// (without it, a message lost with a dead server stays in libnats' pending map for good).
    private let maxWait: Int64
    /// The NKey or `.creds` login's seed (and JWT), alive as long as the connection (libnats calls
    /// it to sign each nonce).
    private let signer: NKeySigner?

    private static let libraryReady: Bool = {
        nats_Open(-1)
        return true
    }()

    /// Connects to the first server of `options.servers` that takes the connection.
    init(options: JetStreamOptions, answers: JetStreamAnswers) throws(Failure) {
        _ = Self.libraryReady
        self.answers = answers
        maxWait = NATSCalls.milliseconds(options.ackTimeout * 2)
        var opts: OpaquePointer?
        try Self.check(natsOptions_Create(&opts), "options")
        guard let opts else { throw Failure(description: "natsOptions_Create returned no options") }
        defer { natsOptions_Destroy(opts) }
        // Retained for good: libnats may call back (closed, disconnected) after the connection
        // is destroyed, and `answers` is one small object per sink.
        let closure = Unmanaged.passRetained(answers).toOpaque()
        do { signer = try NKeySigner.make(for: options.login) } catch {
            answers.connectFailed(error.description)
            throw Failure(description: error.description)
        }
        try Self.configure(opts, options: options, closure: closure, signer: signer)
        // The first connect is synchronous, so its failure says why (a refused login, TLS, no
        // server); the sink's delivery retries it with the outbox's backoff.
        let nc: OpaquePointer
        do { nc = try Self.connect(opts, signer: signer) } catch {
            answers.connectFailed(error.description)
            throw Failure(description: "connect to \(options.servers.joined(separator: ", ")): \(error.description)")
        }
        answers.connected(nc)
        var jsOpts = jsOptions()
        jsOptions_Init(&jsOpts)
        jsOpts.Wait = NATSCalls.milliseconds(options.ackTimeout)
        jsOpts.PublishAsync.AckHandlerClosure = closure
        jsOpts.PublishAsync.AckHandler = { _, msg, ack, failure, closure in
            defer { natsMsg_Destroy(msg) }
            guard let closure, let msg else { return }
            var id: UnsafePointer<CChar>?
            guard natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK, let id else { return }
            let answers = Unmanaged<JetStreamAnswers>.fromOpaque(closure).takeUnretainedValue()
            if let ack {
                answers.answered(id: String(cString: id), .stored(duplicate: ack.pointee.Duplicate))
            } else if let failure {
                let text = failure.pointee.ErrText.map { String(cString: $0) } ?? String(cString: natsStatus_GetText(failure.pointee.Err))
                // libnats' own timeout (MaxWait) only frees the message: the sink times out by itself.
                guard failure.pointee.Err != NATS_TIMEOUT else { return }
                answers.answered(id: String(cString: id), .failed("\(text) (code \(failure.pointee.ErrCode.rawValue))"))
            }
        }
        var js: OpaquePointer?
        let jsStatus = natsConnection_JetStream(&js, nc, &jsOpts)
        guard jsStatus == NATS_OK, let js else {
            natsConnection_Destroy(nc)
            throw Failure(description: "JetStream context: \(Self.lastError(jsStatus))")
        }
        connection = nc
        context = js
    }

    /// `natsConnection_Connect`, tried again (at most 4 times in all) when the only reason it
    /// failed is a signature libnats did not send (see `NKeySigner`): each try gets a new nonce.
    static func connect(_ opts: OpaquePointer, signer: NKeySigner?) throws(Failure) -> OpaquePointer {
        var attempt = 0
        while true {
            attempt += 1
            let droppedBefore = signer?.dropped ?? 0
            var nc: OpaquePointer?
            let status = natsConnection_Connect(&nc, opts)
            if status == NATS_OK, let nc { return nc }
            let reason = lastError(status)
            natsConnection_Destroy(nc)
            guard attempt < 4, let signer, signer.dropped > droppedBefore else { throw Failure(description: reason) }
        }
    }

    /// libnats' signature callback: the nonce signed by the `NKeySigner` passed as the closure,
    /// in memory libnats frees.
    static let signNonce: natsSignatureHandler = { _, signature, length, nonce, closure in
        guard let closure, let nonce, let signature, let length else { return NATS_ERR }
        let signer = Unmanaged<NKeySigner>.fromOpaque(closure).takeUnretainedValue()
        guard let signed = signer.sign(nonce: Array(String(cString: nonce).utf8)),
              let buffer = malloc(signed.count)?.assumingMemoryBound(to: UInt8.self) else { return NATS_ERR }
        buffer.initialize(from: signed, count: signed.count)
        signature.pointee = buffer
        length.pointee = Int32(signed.count)
        return NATS_OK
    }

    static func configure(_ opts: OpaquePointer, options: JetStreamOptions, closure: UnsafeMutableRawPointer,
                                  signer: NKeySigner?) throws(Failure) {
        var urls = options.servers.map { strdup($0) }
        defer { urls.forEach { free($0) } }
        let status = urls.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) {
                natsOptions_SetServers(opts, $0.baseAddress, Int32($0.count))
            }
        }
        try check(status, "servers \(options.servers)")
        try check(natsOptions_SetName(opts, options.clientName), "name")
        // No reconnect by libnats: it keeps what was not yet written when a connection drops and
        // sends it first on the new one, so later events would reach the stream before the
        // lost ones they follow. A lost connection is closed; the sink's next attempt connects
        // anew (trying every server) with its retry backoff, and sends from the first unacked.
        try check(natsOptions_SetAllowReconnect(opts, false), "reconnects")
        try check(natsOptions_SetDisconnectedCB(opts, { nc, closure in
            guard let closure else { return }
            Unmanaged<JetStreamAnswers>.fromOpaque(closure).takeUnretainedValue().lost(nc, problem: "disconnected from the NATS server")
        }, closure), "disconnect callback")
        try check(natsOptions_SetClosedCB(opts, { nc, closure in
            guard let closure else { return }
            Unmanaged<JetStreamAnswers>.fromOpaque(closure).takeUnretainedValue().lost(nc, problem: "the connection to the NATS server closed")
        }, closure), "closed callback")
        switch options.login {
        case nil: break
        case .user(let name, let password): try check(natsOptions_SetUserInfo(opts, name, password), "user and password")
        case .token(let token): try check(natsOptions_SetToken(opts, token), "token")
        case .nkeySeed:
            guard let signer else { throw Failure(description: "the NKey seed is not a user seed (SU…)") }
            let context = Unmanaged.passUnretained(signer).toOpaque()
            try check(natsOptions_SetNKey(opts, signer.seed.publicKey, signNonce, context), "NKey")
        case .creds(let path):
            guard let signer, signer.jwt != nil else { throw Failure(description: "credentials file \(path) was not read") }
            let context = Unmanaged.passUnretained(signer).toOpaque()
            try check(natsOptions_SetUserCredentialsCallbacks(opts, { jwt, _, closure in
                guard let closure, let jwt else { return NATS_ERR }
                let signer = Unmanaged<NKeySigner>.fromOpaque(closure).takeUnretainedValue()
                // libnats frees it after the connect.
                jwt.pointee = strdup(signer.jwt ?? "")
                return jwt.pointee == nil ? NATS_NO_MEMORY : NATS_OK
            }, context, signNonce, context), "credentials file \(path)")
        }
        if options.secure {
            try check(natsOptions_SetSecure(opts, true), "TLS")
            if let ca = options.caFile { try check(natsOptions_LoadCATrustedCertificates(opts, ca), "CA file \(ca)") }
            if let cert = options.certFile, let key = options.keyFile {
                try check(natsOptions_LoadCertificatesChain(opts, cert, key), "client certificate \(cert)")
            }
        }
    }

    /// The stream's settings as the server has them; nil when there is no such stream.
    func streamInfo(_ name: String) throws(Failure) -> JetStreamStreamSpec.Existing? {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        let status = js_GetStreamInfo(&info, context, name, nil, &code)
        defer { jsStreamInfo_Destroy(info) }
        if status == NATS_NOT_FOUND || code == JSStreamNotFoundErr { return nil }
        guard status == NATS_OK, let config = info?.pointee.Config?.pointee else {
            throw Failure(description: "stream '\(name)' info: \(Self.lastError(status))")
        }
        let subjects = (0..<Int(max(0, config.SubjectsLen))).compactMap { config.Subjects?[$0].map { String(cString: $0) } }
        return JetStreamStreamSpec.Existing(subjects: subjects, replicas: Int(config.Replicas),
                                            maxAge: config.MaxAge > 0 ? .nanoseconds(config.MaxAge) : nil,
                                            duplicateWindow: .nanoseconds(config.Duplicates))
    }

    func addStream(_ spec: JetStreamStreamSpec) throws(Failure) {
        if let failure = NATSCalls.addStream(spec, js: context) { throw Failure(description: failure) }
    }

    /// Publishes `payload` on `subject` with header `Nats-Msg-Id: id` (and `Tagway-Sent-At`, and
    /// `Tagway-Log-Id` when `logID` is given);
    /// the PubAck (or its failure) comes to `answers`. Throws when the message could not even be
    /// queued.
    func publish(subject: String, payload: [UInt8], id: String, sentAt: Timestamp, logID: String? = nil) throws(Failure) {
        var msg: OpaquePointer?
        let created = payload.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { natsMsg_Create(&msg, subject, nil, $0.baseAddress, Int32($0.count)) }
        }
        defer { natsMsg_Destroy(msg) }
        try Self.check(created, "message")
        try Self.check(natsMsgHeader_Set(msg, "Nats-Msg-Id", id), "header")
        try Self.check(natsMsgHeader_Set(msg, JetStreamSink.sentAtHeader, String(sentAt.milliseconds)), "header")
        if let logID { try Self.check(natsMsgHeader_Set(msg, JetStreamSink.logIDHeader, logID), "header") }
        var publish = jsPubOptions()
        jsPubOptions_Init(&publish)
        publish.MaxWait = maxWait
        try Self.check(js_PublishMsgAsync(context, &msg, &publish), "publish")
    }

    /// The context goes after its publishes' deadlines (see `NATSCalls.destroyContext`): every
    /// publish of this client is asynchronous with a `MaxWait`.
    func close() {
        NATSCalls.destroyContext(context, afterPublishesWaiting: maxWait)
        natsConnection_Close(connection)
        natsConnection_Destroy(connection)
    }

    private static func check(_ status: natsStatus, _ what: String) throws(Failure) {
        guard status == NATS_OK else { throw Failure(description: "\(what): \(lastError(status))") }
    }

    static func lastError(_ status: natsStatus) -> String {
        var last = NATS_OK
        if let text = nats_GetLastError(&last), last != NATS_OK { return String(cString: text) }
        return String(cString: natsStatus_GetText(status))
    }
}
