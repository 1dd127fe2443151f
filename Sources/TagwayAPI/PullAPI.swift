import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TagwayEventLog
import TagwayModel
import TagwayOutbox

/// The pull API: a consumer reads the log at its own pace, with no cursor kept in the gateway.
///
/// - `GET /v1/events?after=SEQ&limit=N`: a JSON array of the events after SEQ (at most N, default 100).
/// - `GET /v1/events/stream`: Server-Sent Events, one per event (`id:` is the seq), resuming after
///   the `Last-Event-ID` header (or `?after=SEQ`), so a reconnecting EventSource misses nothing.
public struct PullAPI: Sendable {
    public static let maxLimit = 10_000
    let log: EventLog
    let keepAlive: Duration

    public init(log: EventLog, keepAlive: Duration = .seconds(15)) {
        self.log = log
        self.keepAlive = keepAlive
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/v1/events") { request, _ in try self.page(request) }
        router.get("/v1/events/stream") { request, _ in try self.stream(request) }
        return router
    }

    func page(_ request: Request) throws -> Response {
        let after = try Self.seq(request.uri.queryParameters.get("after") ?? "0", name: "after")
        let limitText = request.uri.queryParameters.get("limit") ?? "100"
        guard let limit = Int(limitText), (1...Self.maxLimit).contains(limit) else {
            throw HTTPError(.badRequest, message: "limit must be a whole number in 1...\(Self.maxLimit)")
        }
        let events = try log.events(after: after, limit: limit)
        let body = "[" + events.map(\.json).joined(separator: ",") + "]"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let last = events.last?.seq { headers[HTTPField.Name("Tagway-Last-Seq")!] = String(last) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    func stream(_ request: Request) throws -> Response {
        let after: String? = request.uri.queryParameters.get("after").map { String($0) }
        let resume = request.headers[HTTPField.Name("Last-Event-ID")!] ?? after ?? "0"
        let start = try Self.seq(resume, name: "Last-Event-ID")
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let log = self.log
        let keepAlive = self.keepAlive
        let body = ResponseBody { writer in
            let doorbell = Doorbell()
            let updates = log.subscribe()
            let relay = Task { for await _ in updates { doorbell.ring() } }
            defer { relay.cancel() }
            var cursor = start
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while !Task.isCancelled {
                let events = try log.events(after: cursor, limit: 500)
                if events.isEmpty {
                    await doorbell.wait(timeout: keepAlive)
                    if (try? log.lastSeq()) ?? 0 <= cursor { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                    continue
                }
                var text = ""
                for event in events { text += SSE.frame(event) }
                try await writer.write(ByteBuffer(string: text))
                cursor = events.last?.seq ?? cursor
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func seq(_ text: some StringProtocol, name: String) throws -> Int64 {
        guard let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw HTTPError(.badRequest, message: "\(name) must be an event seq (a whole number >= 0)")
        }
        return value
    }
}

/// Server-Sent Events framing (WHATWG HTML §9.2): the event JSON has no newlines, so it is one
/// `data:` line; `id:` is the seq the client sends back as `Last-Event-ID`.
public enum SSE {
    public static func frame(_ event: MovementEvent) -> String {
        "id: \(event.seq ?? 0)\nevent: \(event.type.rawValue)\ndata: \(event.json)\n\n"
    }
}
