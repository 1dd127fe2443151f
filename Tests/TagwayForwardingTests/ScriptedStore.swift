import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A real HTTP asset store on 127.0.0.1 for the tests: it keeps the events it accepts (by id, in
/// arrival order), answers 409 to a batch it already has entirely, checks the HMAC signature,
/// and misbehaves on request as scripted (500, 429, a slow answer that outlives the sink's
/// timeout, a batch stored but answered 500 as if the answer was lost).
final class ScriptedStore: @unchecked Sendable {
    enum Step: Sendable {
        case ok
        case status(Int, retryAfter: String? = nil)
        /// Store the batch, then answer 500: the sink retries and must get a 409.
        case storeThenFail
        /// Store the batch, then answer only after `delay` (longer than the sink's timeout).
        case storeThenStall(Duration)
    }

    private let lock = NSLock()
    private var script: [Step]
    private var ids: [String] = []
    private var known: Set<String> = []
    private var seqs: [Int64] = []
    private(set) var requests = 0
    private var duplicateDeliveries = 0
    private var badSignatures = 0
    private var headerProblems: [String] = []
    private let secret: [UInt8]?
    private(set) var port = 0
    private var task: Task<Void, Never>?

    /// Every answer is delayed by `latency` (a slow store keeps requests in flight).
    let latency: Duration

    init(script: [Step] = [], secret: [UInt8]? = nil, latency: Duration = .zero) {
        self.script = script
        self.secret = secret
        self.latency = latency
    }

    var storedIDs: [String] { lock.withLock { ids } }
    var storedSeqs: [Int64] { lock.withLock { seqs } }
    var duplicates: Int { lock.withLock { duplicateDeliveries } }
    var signatureFailures: Int { lock.withLock { badSignatures } }
    var problems: [String] { lock.withLock { headerProblems } }
    var requestCount: Int { lock.withLock { requests } }

    func start() async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 64 << 20)
            return try await self.handle(request.headers, body: String(buffer: buffer))
        }
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) })
        task = Task { try? await app.run() }
        for await bound in ready.stream {
            port = bound
            break
        }
    }

    func stop() { task?.cancel() }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    private func handle(_ headers: HTTPFields, body: String) async throws -> Response {
        let array = (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]]) ?? []
        let batchIDs = array.compactMap { $0["id"] as? String }
        let batchSeqs = array.compactMap { ($0["seq"] as? NSNumber)?.int64Value }
        if latency > .zero { try? await Task.sleep(for: latency) }
        let step: Step = lock.withLock {
            requests += 1
            checkHeaders(headers, body: body, seqs: batchSeqs)
            return script.isEmpty ? .ok : script.removeFirst()
        }
        switch step {
        case .status(let code, let retryAfter):
            var fields = HTTPFields()
            if let retryAfter { fields[.retryAfter] = retryAfter }
            return Response(status: .init(code: code), headers: fields)
        case .ok, .storeThenFail, .storeThenStall:
            let alreadyHad = lock.withLock { () -> Bool in
                if !batchIDs.isEmpty, batchIDs.allSatisfy(known.contains) {
                    duplicateDeliveries += 1
                    return true
                }
                for (id, seq) in zip(batchIDs, batchSeqs) where known.insert(id).inserted {
                    ids.append(id)
                    seqs.append(seq)
                }
                return false
            }
            if case .storeThenFail = step { return Response(status: .internalServerError) }
            if case .storeThenStall(let delay) = step { try? await Task.sleep(for: delay) }
            return Response(status: alreadyHad ? .conflict : .ok)
        }
    }

    /// Called under the lock.
    private func checkHeaders(_ headers: HTTPFields, body: String, seqs: [Int64]) {
        func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
        if header("Tagway-First-Seq") != seqs.first.map(String.init) || header("Tagway-Last-Seq") != seqs.last.map(String.init) {
            headerProblems.append("seq headers \(header("Tagway-First-Seq") ?? "-")-\(header("Tagway-Last-Seq") ?? "-") for \(seqs.first ?? 0)-\(seqs.last ?? 0)")
        }
        if header("Idempotency-Key")?.count != 32 { headerProblems.append("no idempotency key") }
        guard let secret else { return }
        guard let signature = header("Tagway-Signature"), let timestamp = header("Tagway-Timestamp") else {
            badSignatures += 1
            return
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: secret))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        if signature != "t=\(timestamp),v1=\(hex)" { badSignatures += 1 }
    }
}
