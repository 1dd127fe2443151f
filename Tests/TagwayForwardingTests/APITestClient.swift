import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import TagwayAPI
import TagwayEventLog
import TagwayTestSupport

/// A pull API on 127.0.0.1 (a free port), started by the test with the limits it sets.
struct TestAPIServer {
    let listener: APIListener
    let server: APIServer
    var base: String { "http://127.0.0.1:\(listener.port)/v1/events" }

    init(log: EventLog, logger: Logger = LogRecorder().logger(level: .critical), maxStreams: Int = PullAPI.defaultMaxStreams,
         maxConnections: Int? = nil) async throws {
        server = APIServer(log: log, host: "127.0.0.1", port: 0, logger: logger, maxStreams: maxStreams,
                           maxConnections: maxConnections)
        listener = try await server.listen()
    }

    func stop() { listener.stop() }
}

/// An HTTP client for many concurrent connections to one host (the shared client queues past
/// 8), kept for the whole test run like `HTTPClient.shared`.
let wideClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// A response read to the end: status, headers and body text.
struct TestResponse {
    let status: Int
    let headers: [String: String]
    let body: String

    /// The body as a JSON object (nil when it is not one).
    var object: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
}

func fetch(_ url: String, headers: [(String, String)] = [], client: HTTPClient = .shared) async throws -> TestResponse {
    var request = HTTPClientRequest(url: url)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    let response = try await client.execute(request, timeout: .seconds(60))
    let body = try await response.body.collect(upTo: 64 << 20)
    var fields: [String: String] = [:]
    for header in response.headers { fields[header.name.lowercased()] = header.value }
    return TestResponse(status: Int(response.status.code), headers: fields, body: String(buffer: body))
}

/// One SSE client reading its stream in the background: the status, the last `id:` seen, and
/// the `error` events' data.
final class SSEClient: @unchecked Sendable {
    private let lock = NSLock()
    private var statusCode: Int?
    private var last: Int64 = 0
    private var frames = 0
    private var errors: [String] = []
    private var ended = false
    private var task: Task<Void, Never>?

    init(url: String, headers: [(String, String)] = [], client: HTTPClient) {
        task = Task { [self] in
            defer { lock.withLock { ended = true } }
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            guard let response = try? await client.execute(request, timeout: .seconds(600)) else { return }
            lock.withLock { statusCode = Int(response.status.code) }
            var text = ""
            do {
                for try await chunk in response.body {
                    text += String(buffer: chunk)
                    guard let end = text.range(of: "\n\n", options: .backwards) else { continue }
                    record(frames: text[..<end.lowerBound].components(separatedBy: "\n\n"))
                    text = String(text[end.upperBound...])
                }
            } catch {}
        }
    }

    /// Records whole frames: only the newest id matters, and any `error` event.
    private func record(frames batch: [String]) {
        let id = batch.last { $0.hasPrefix("id: ") }.flatMap { frame in
            Int64(frame.dropFirst(4).prefix { $0 != "\n" })
        }
        let failures = batch.filter { $0.contains("event: error\n") }.compactMap { frame in
            frame.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
        }
        lock.withLock {
            frames += batch.count
            if let id { last = id }
            errors += failures
        }
    }

    var status: Int? { lock.withLock { statusCode } }
    var lastID: Int64 { lock.withLock { last } }
    /// Frames received (the first is the `retry:` line sent before any read of the log).
    var frameCount: Int { lock.withLock { frames } }
    var errorEvents: [String] { lock.withLock { errors } }
    var hasEnded: Bool { lock.withLock { ended } }

    func cancel() { task?.cancel() }
}
