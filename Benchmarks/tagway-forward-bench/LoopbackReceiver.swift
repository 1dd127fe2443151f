import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A webhook receiver on 127.0.0.1 that counts the events it is sent (from the batch's
/// `Tagway-Event-Count` header) and answers 200, as a fast asset store would.
final class LoopbackReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var events = 0
    private(set) var port = 0
    private var task: Task<Void, Never>?

    var received: Int { lock.withLock { events } }

    func start() async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 64 << 20)
            let count = request.headers[HTTPField.Name("Tagway-Event-Count")!].flatMap { Int($0) } ?? 0
            self.lock.withLock { self.events += count }
            return Response(status: .ok)
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
