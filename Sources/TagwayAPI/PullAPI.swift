import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TagwayEventLog
import TagwayModel
import TagwayOutbox
import TagwayRuntime

/// The pull API: a consumer reads the log at its own pace, with no cursor kept in the gateway.
///
/// - `GET /v1/events?after=SEQ&limit=N`: a JSON array of the events after SEQ (at most N, default 100).
///   Optional filters, all of which must hold: `type=arrived,moved` (event types), `zone=Z` (from
///   or to), `asset=KEY` (exact), `since=TIME` (ISO-8601 or epoch milliseconds; stamped at or after).
/// - `GET /v1/events/stream`: Server-Sent Events, one per event (`id:` is the seq), resuming after
///   the `Last-Event-ID` header (or `?after=SEQ`), so a reconnecting EventSource misses nothing.
///
/// Clients are not trusted to be few or polite: every read of the log is a bounded page awaited
/// off the shared threads, so one client catching up from seq 0 takes turns with the others and
/// with the pipeline; SSE streams are limited in number (503 with Retry-After past the limit).
public struct PullAPI: Sendable {
    public static let maxLimit = 10_000
    /// Events per read of the log: one client's catch-up yields to the others between pages.
    public static let pageSize = 500
    public static let defaultMaxStreams = 64
    /// Seconds a client refused for load is asked to wait.
    static let retryAfterSeconds = 5
    static let lastEventID = HTTPField.Name("Last-Event-ID")!  // force-unwrap-ok: a literal, valid field name
    static let lastSeqHeader = HTTPField.Name("Tagway-Last-Seq")!  // force-unwrap-ok: a literal, valid field name

    /// The events `/v1/events` pages and `/v1/events/stream` follows, and the assets of `/v1/assets`:
    /// a gateway's `EventLog`, or a site's stream and bucket.
    let history: any EventHistory
    let directory: any AssetDirectory
    /// The gateway's log, which `POST /v1/audits` records into (nil: a site, no audits).
    let log: EventLog?
    let keepAlive: Duration
    let slots: StreamSlots
    let logger: Logger
    /// The configured zones, replaced by a reload.
    let zones: Reloadable<ZoneDirectory>
    /// `POST /v1/audits` (nil: not served).
    let audit: AuditEndpoint?
    /// `GET /metrics` (nil: not served).
    let metrics: MetricsEndpoint?
    /// `GET /readyz`'s answer (nil: always ready, for an API with no gateway behind it).
    let readiness: (any ReadinessSource)?
    /// `GET /v1/status` and `GET /v1/tuning` (nil: not served).
    let status: (any StatusSource)?
    let tuning: (any TuningSource)?
    /// `GET /v1/config`, `POST /v1/config/check`, `PUT /v1/config` (nil: not served).
    let config: (any ConfigEndpoint)?

    public init(log: EventLog, keepAlive: Duration = .seconds(15), maxStreams: Int = PullAPI.defaultMaxStreams,
                logger: Logger = Logger(label: "tagway.api"), zones: Reloadable<ZoneDirectory> = Reloadable(ZoneDirectory()),
                audit: AuditEndpoint? = nil, metrics: MetricsEndpoint? = nil, readiness: (any ReadinessSource)? = nil,
                status: (any StatusSource)? = nil, tuning: (any TuningSource)? = nil, config: (any ConfigEndpoint)? = nil) {
        self.init(history: log, directory: log, log: log, keepAlive: keepAlive, maxStreams: maxStreams, logger: logger, zones: zones,
                  audit: audit, metrics: metrics, readiness: readiness, status: status, tuning: tuning, config: config)
    }

    /// Any event history and asset directory (a site's); `log` only for audits.
    public init(history: any EventHistory, directory: any AssetDirectory, log: EventLog? = nil, keepAlive: Duration = .seconds(15),
                maxStreams: Int = PullAPI.defaultMaxStreams, logger: Logger = Logger(label: "tagway.api"),
                zones: Reloadable<ZoneDirectory> = Reloadable(ZoneDirectory()), audit: AuditEndpoint? = nil,
                metrics: MetricsEndpoint? = nil, readiness: (any ReadinessSource)? = nil, status: (any StatusSource)? = nil,
                tuning: (any TuningSource)? = nil, config: (any ConfigEndpoint)? = nil) {
        self.history = history
        self.directory = directory
        self.readiness = readiness
        self.status = status
        self.tuning = tuning
        self.config = config
        self.log = log
        self.metrics = metrics
        self.zones = zones
        self.keepAlive = keepAlive
        self.slots = StreamSlots(limit: maxStreams)
        self.logger = logger
        self.audit = audit
    }

    /// SSE streams open now.
    public var openStreams: Int { slots.inUse }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: APIErrorMiddleware<BasicRequestContext>(logger: logger))
        router.get("/v1/events") { request, _ in try await self.page(request) }
        router.get("/v1/events/stream") { request, _ in try self.stream(request) }
        AssetRoutes(directory: directory, zones: zones).register(on: router)
        if let audit, let log { AuditRoutes(log: log, endpoint: audit, logger: logger).register(on: router) }
        if let metrics { MetricsRoutes(endpoint: metrics).register(on: router) }
        if let config { ConfigRoutes(endpoint: config).register(on: router) }
        HealthRoutes(readiness: readiness).register(on: router)
        if let status { StatusRoutes(source: status).register(on: router) }
        if let tuning { TuningRoutes(source: tuning).register(on: router) }
        return router
    }

    func page(_ request: Request) async throws -> Response {
        let after = try Self.seq(request.uri.queryParameters.get("after") ?? "0", name: "after")
        let limitText = request.uri.queryParameters.get("limit") ?? "100"
        guard let limit = Int(limitText), (1...Self.maxLimit).contains(limit) else {
            throw APIError.badInput("limit", "must be a whole number in 1...\(Self.maxLimit)")
        }
        let filter = try EventFilterParameters.parse(request.uri.queryParameters)
        var parts: [String] = []
        var cursor = after
        var remaining = limit
        var last: Int64?
        if let since = filter.since {
            // From the first event stamped at or after `since` (events_by_time), never the older log.
            if let first = try await history.firstSeq(since: since) { cursor = max(cursor, first - 1) } else { remaining = 0 }
        }
        while remaining > 0 {
            let size = min(remaining, Self.pageSize)
            let chunk = try await history.page(after: cursor, limit: size, filter: filter) { events in
                (json: events.map(\.json).joined(separator: ","), count: events.count, last: events.last?.seq)
            }
            guard let chunkLast = chunk.last else { break }
            parts.append(chunk.json)
            cursor = chunkLast
            last = chunkLast
            remaining -= chunk.count
            if chunk.count < size { break }
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let last { headers[Self.lastSeqHeader] = String(last) }
        let body = "[" + parts.joined(separator: ",") + "]"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    func stream(_ request: Request) throws -> Response {
        // The header wins: a reconnecting EventSource sends it with the URL it first opened. That
        // URL's `after` is checked all the same, so a bad one is refused on the first request
        // rather than only when no header comes with it.
        let after = try Self.seq(request.uri.queryParameters.get("after") ?? "0", name: "after")
        let start = try request.headers[Self.lastEventID].map { try Self.seq($0, name: "Last-Event-ID header") } ?? after
        guard let slot = slots.take() else {
            logger.warning("pull API: refused an event stream, \(slots.limit) already open (the limit)")
            throw APIError.overloaded("too many event streams open (limit \(slots.limit))", retryAfterSeconds: Self.retryAfterSeconds)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { [self] writer in
            // The slot goes back when this closure is released (see StreamSlots.take).
            defer { withExtendedLifetime(slot) {} }
            try await follow(from: start, into: &writer)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Writes the events after `start`, page by page, then each new one as it is committed,
    /// with a comment line every `keepAlive` of silence, until the client goes. A log that
    /// cannot be read ends the stream with an `error` event carrying the same JSON as a 500.
    private func follow(from start: Int64, into writer: inout any ResponseBodyWriter) async throws {
        let wakeup = Wakeup()
        let updates = history.changes()
        let relay = Task { for await _ in updates { wakeup.ring() } }
        defer { relay.cancel() }
        var cursor = start
        var waited = false
        try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
        do {
            while !Task.isCancelled {
                let page = try await history.page(after: cursor, limit: Self.pageSize, filter: EventFilter()) { events in
                    (text: events.map(SSE.frame).joined(), last: events.last?.seq)
                }
                if let last = page.last {
                    try await writer.write(ByteBuffer(string: page.text))
                    cursor = last
                    waited = false
                    continue
                }
                if waited { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                await wakeup.wait(timeout: keepAlive)
                waited = true
            }
        } catch let failure as APIError {
            if Task.isCancelled { return }
            logger.error("pull API event stream after seq \(cursor): \(failure)")
            try await writer.write(ByteBuffer(string: "event: error\ndata: \(failure.json)\n\n"))
        }
        try await writer.finish(nil)
    }

    static func seq(_ text: some StringProtocol, name: String) throws(APIError) -> Int64 {
        guard text.utf8.count <= 32, let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw APIError.badInput(name, "must be an event seq (a whole number >= 0)")
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
