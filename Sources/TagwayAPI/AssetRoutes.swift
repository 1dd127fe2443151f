import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TagwayEventLog
import TagwayModel

/// "Where is it now" (issue 11): the asset table the gateway keeps with its events, or a site's
/// picture (`AssetDirectory`).
///
/// - `GET /v1/assets?zone=&key=&prefix=&seenSince=&after=&limit=`: `{"assets":[...],"next":cursor|null,"lastSeq":N}`
/// - `GET /v1/assets/{key}?events=N`: the key's rows now and its latest N events (newest first)
/// - `GET /v1/zones`: every zone with its asset count now
///
/// Every answer carries the `lastSeq` its rows are the state of (body and `Tagway-Last-Seq`),
/// read in the same transaction: a client that lists assets and then follows
/// `/v1/events/stream` from that seq misses no movement and sees none twice.
struct AssetRoutes: Sendable {
    static let defaultEvents = 20

    let directory: any AssetDirectory
    let zones: Reloadable<ZoneDirectory>

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/assets") { request, _ in try await list(request) }
        router.get("/v1/assets/{key}") { request, context in
            try await one(request, rawKey: context.parameters.get("key") ?? "")
        }
        router.get("/v1/zones") { _, _ in try await zoneList() }
    }

    func list(_ request: Request) async throws -> Response {
        let query = try AssetRequestParameters.query(request.uri.queryParameters)
        let page = try await directory.assetPage(query)
        var out = JSONObjectWriter()
        out.raw("assets", "[" + page.objects.joined(separator: ",") + "]")
        out.raw("next", page.next.map { JSONObjectWriter.quote($0.text) } ?? "null")
        out.number("lastSeq", page.lastSeq)
        return Self.json(out.finish(), lastSeq: page.lastSeq)
    }

    func one(_ request: Request, rawKey: String) async throws -> Response {
        guard let key = rawKey.removingPercentEncoding, !key.isEmpty else {
            throw APIError.badInput("key", "in the path must be a percent-encoded asset key")
        }
        let count = try AssetRequestParameters.whole(request.uri.queryParameters.get("events"), name: "events",
                                                     range: 0...EventLog.maxAssetEvents, default: Self.defaultEvents)
        guard let history = try await directory.assetDetail(key: key, events: count) else {
            throw APIError(.notFound, "no asset with this key is tracked, and the log holds no event of it", detail: key)
        }
        var out = JSONObjectWriter()
        out.string("key", history.key)
        out.bool("present", !history.objects.isEmpty)
        out.raw("assets", "[" + history.objects.joined(separator: ",") + "]")
        out.raw("events", "[" + history.events.map(\.json).joined(separator: ",") + "]")
        out.number("lastSeq", history.lastSeq)
        return Self.json(out.finish(), lastSeq: history.lastSeq)
    }

    func zoneList() async throws -> Response {
        let counts = try await directory.zoneTally()
        return Self.json(zones.current.json(counts: counts), lastSeq: counts.lastSeq)
    }

    static func json(_ body: String, lastSeq: Int64) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[PullAPI.lastSeqHeader] = String(lastSeq)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
    }
}

/// The query parameters of `/v1/assets`, checked: each bad one is a 400 naming it.
enum AssetRequestParameters {
    static func query(_ parameters: Parameters) throws(APIError) -> AssetQuery {
        var query = AssetQuery()
        query.zone = try text(parameters.get("zone"), name: "zone")
        query.key = try text(parameters.get("key"), name: "key")
        query.keyPrefix = try text(parameters.get("prefix"), name: "prefix")
        if query.key != nil, query.keyPrefix != nil {
            throw APIError.badInput("prefix", "cannot be combined with key (key is one exact asset key)")
        }
        if let since = parameters.get("seenSince") { query.seenSince = try seenSince(since) }
        if let after = parameters.get("after") {
            guard let cursor = AssetCursor(text: after) else {
                throw APIError.badInput("after", "is not a cursor from a previous page's \"next\"")
            }
            query.after = cursor
        }
        query.limit = try whole(parameters.get("limit"), name: "limit", range: 1...AssetQuery.maxLimit,
                                default: AssetQuery.defaultLimit)
        return query
    }

    /// A filter's text: absent is nil; present but empty is an error (an empty filter would
    /// silently match nothing, or everything).
    static func text(_ value: String?, name: String) throws(APIError) -> String? {
        guard let value else { return nil }
        guard !value.isEmpty else { throw APIError.badInput(name, "must not be empty") }
        return value
    }

    /// `2026-11-26T10:15:02Z` (with optional milliseconds) or whole seconds since the Unix epoch.
    static func seenSince(_ text: String) throws(APIError) -> Timestamp {
        if let time = ISO8601Millis.parse(text) { return time }
        if text.utf8.count <= 20, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
           let seconds = Int64(text) {
            let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            if !overflow { return Timestamp(milliseconds: millis) }
        }
        throw APIError.badInput("seenSince", "must be a UTC time like 2026-11-26T10:15:02Z or whole seconds since 1970")
    }

    static func whole(_ value: String?, name: String, range: ClosedRange<Int>, default fallback: Int) throws(APIError) -> Int {
        guard let value else { return fallback }
        guard value.utf8.count <= 20, let number = Int(value), range.contains(number) else {
            throw APIError.badInput(name, "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }
}
