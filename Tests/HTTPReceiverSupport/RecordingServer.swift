import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A small HTTP server on 127.0.0.1 whose answers a test scripts with a closure; it records
/// every request (path, headers, body) for the test to inspect. It can answer late (`delay`, a
/// slow destination) and be stopped and started again on the same port (a destination down,
/// then up).
public final class RecordingServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var path: String
        public var headers: HTTPFields
        public var body: String
    }

    public struct Answer: Sendable {
        public var status: Int
        public var body: String = ""
        public var retryAfter: String?

        public init(status: Int, body: String = "", retryAfter: String? = nil) {
            self.status = status
            self.body = body
            self.retryAfter = retryAfter
        }
    }

    private let lock = NSLock()
    private var recorded: [Request] = []
    private let respond: @Sendable (Request, Int) -> Answer
    private let delay: Duration
    public private(set) var port = 0
    private var task: Task<Void, Never>?

    /// `respond` gets each request and its index (0 for the first); each answer waits `delay`.
    public init(delay: Duration = .zero, respond: @escaping @Sendable (Request, Int) -> Answer) {
        self.delay = delay
        self.respond = respond
    }

    public var requests: [Request] { lock.withLock { recorded } }

    /// Listens on `port` (0: a free one; the port it got is `port`).
    public func start(port wanted: Int = 0) async throws {
        let router = Router()
        let delay = delay
        router.post("/**") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            if delay > .zero { try await Task.sleep(for: delay) }
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
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: wanted)),
                              onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) })
        task = Task { try? await app.run() }
        for await bound in ready.stream {
            port = bound
            break
        }
    }

    /// Stops listening (at once; the port closes shortly after).
    public func stop() { task?.cancel() }

    /// Stops listening and waits until the port is closed (to start again on it).
    public func stopAndWait() async {
        let running = task
        running?.cancel()
        await running?.value
    }
}
