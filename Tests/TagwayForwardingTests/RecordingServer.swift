import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A small HTTP server on 127.0.0.1 whose answers a test scripts with a closure; it records
/// every request (path, headers, body) for the test to inspect.
final class RecordingServer: @unchecked Sendable {
    struct Request: Sendable {
        var path: String
        var headers: HTTPFields
        var body: String
    }

    struct Answer: Sendable {
        var status: Int
        var body: String = ""
        var retryAfter: String?
    }

    private let lock = NSLock()
    private var recorded: [Request] = []
    private let respond: @Sendable (Request, Int) -> Answer
    private(set) var port = 0
    private var task: Task<Void, Never>?

    /// `respond` gets each request and its index (0 for the first).
    init(respond: @escaping @Sendable (Request, Int) -> Answer) {
        self.respond = respond
    }

    var requests: [Request] { lock.withLock { recorded } }

    func start() async throws {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            let recordedRequest = Request(path: request.uri.path, headers: request.headers, body: String(buffer: buffer))
            let index = self.lock.withLock { () -> Int in
                self.recorded.append(recordedRequest)
                return self.recorded.count - 1
            }
            let answer = self.respond(recordedRequest, index)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let retryAfter = answer.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: answer.status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
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
}
