import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TagwayAudit
import TagwayEventLog
import TagwayModel
import TagwayRuntime

/// What `POST /v1/audits` needs from the gateway: the audit settings (zones, locations,
/// freshness, limits), the gateway id for a logged `audit` event, and the clock ("now").
public struct AuditEndpoint: Sendable {
    /// Replaced by a reload (zones, aliases, limits); each upload reads it once.
    public let liveSettings: Reloadable<AuditSettings>
    public var settings: AuditSettings { liveSettings.current }
    public var gatewayID: String
    public var clock: @Sendable () -> Timestamp

    public init(settings: AuditSettings, gatewayID: String,
                clock: @escaping @Sendable () -> Timestamp = { SystemClock.now() }) {
        liveSettings = Reloadable(settings)
        self.gatewayID = gatewayID
        self.clock = clock
    }
}

/// `POST /v1/audits[?zone=Z][&format=json|text|csv]`: the body is an expected list (CSV with
/// `Content-Type: text/csv`, JSON with `application/json`; without a type the first character
/// decides), compared with the asset state the log holds now.
///
/// 200 with the report (`Tagway-Last-Seq`: the log seq the state reflects); 400 with every
/// located problem of the list (`problems`, and `more` beyond the first 20); 413 past
/// `audit.maxUploadBytes`; 415 for another content type. The body is read into one buffer and
/// parsed in place, off the shared threads, as are the state read and the comparison.
struct AuditRoutes: Sendable {
    let log: EventLog
    let endpoint: AuditEndpoint
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/audits") { request, _ in try await self.audit(request) }
    }

    func audit(_ request: Request) async throws -> Response {
        let settings = endpoint.settings
        var filter: String?
        if let zone = request.uri.queryParameters.get("zone") {
            guard let id = settings.zoneID(String(zone)) else {
                throw APIError.badInput("zone", "is not a configured zone ('\(zone.prefix(100))')")
            }
            filter = id
        }
        let rendering: ReportFormat
        switch request.uri.queryParameters.get("format") ?? "json" {
        case "json": rendering = .json
        case "text": rendering = .text
        case "csv": rendering = .csv
        default: throw APIError.badInput("format", "must be json, text or csv")
        }
        let format = try Self.listFormat(request.headers[.contentType])
        let limit = settings.maxUploadBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw Self.tooLarge(limit) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit)
        }
        let log = self.log
        let now = endpoint.clock()
        let zoneFilter = filter
        let outcome: Result<(AuditReport, ExpectedListErrors?), EventLogError> = await Self.offSharedThreads {
            let parsed = body.withUnsafeReadableBytes { raw in
                Result { () throws(ExpectedListErrors) in
                    try ExpectedAssetList.parse(raw, source: "request body", format: format, settings: settings)
                }
            }
            let list: ExpectedAssetList
            switch parsed {
            case .success(let value): list = value
            case .failure(let errors):
                return .success((AuditReport(time: now, freshness: settings.freshness, zoneFilter: zoneFilter, source: "", lastSeq: nil,
                                             zones: [], totals: AuditTotals()), errors))
            }
            do throws(EventLogError) {
                let snapshot = try log.assetStates()
                let report = Audit.compare(expected: list, found: snapshot.records, zones: settings.zones,
                                           freshness: settings.freshness, now: now, zone: zoneFilter, lastSeq: snapshot.lastSeq)
                return .success((report, nil))
            } catch {
                return .failure(error)
            }
        }
        let (report, problems) = try outcome.get()
        if let problems { return Self.refusal(problems) }
        if settings.logEvents { try await logEvent(report) }
        var headers = HTTPFields()
        let text: String
        switch rendering {
        case .json:
            headers[.contentType] = "application/json"
            text = report.json + "\n"
        case .text:
            headers[.contentType] = "text/plain; charset=utf-8"
            text = report.table
        case .csv:
            headers[.contentType] = "text/csv; charset=utf-8; header=present"
            headers[.contentDisposition] = "attachment; filename=\"audit-\(Self.fileStamp(report.time)).csv\""
            text = report.csv
        }
        if let lastSeq = report.lastSeq { headers[PullAPI.lastSeqHeader] = String(lastSeq) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    enum ReportFormat { case json, text, csv }

    /// `20261202T061502Z`: a file name part that sorts by time and needs no quoting anywhere.
    static func fileStamp(_ time: Timestamp) -> String {
        String(time.iso8601.prefix(19).unicodeScalars.filter { $0 != "-" && $0 != ":" }) + "Z"
    }

    /// One `audit` event per finished audit (`audit.logEvents`), forwarded like any other.
    private func logEvent(_ report: AuditReport) async throws {
        var rng = SystemRandomNumberGenerator()
        let event = AuditEvent.make(report, gatewayID: endpoint.gatewayID, id: EventID.make(time: report.time, using: &rng))
        _ = try await log.append([event])
        logger.info("audit of \(report.zoneFilter ?? "every zone"): \(event.reason ?? "")")
    }

    static func listFormat(_ contentType: String?) throws(APIError) -> ExpectedAssetList.Format? {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "text/csv", "application/csv": return .csv
        case "application/json": return .json
        case "", "text/plain", "application/octet-stream": return nil
        default:
            throw APIError(.unsupportedMediaType, "the expected list must be text/csv or application/json",
                           detail: "Content-Type: \(contentType.prefix(200))")
        }
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "the expected list is larger than \(limit) bytes (audit.maxUploadBytes)",
                 detail: "split the list by zone or location, or raise audit.maxUploadBytes")
    }

    /// 400 with the API's error body plus the problems, each with its line and column.
    static func refusal(_ errors: ExpectedListErrors) -> Response {
        var w = JSONObjectWriter()
        w.string("error", "the expected list has \(errors.total) problem\(errors.total == 1 ? "" : "s")")
        w.string("detail", errors.description)
        let problems = errors.errors.map { error in
            var p = JSONObjectWriter()
            p.string("kind", error.kind.rawValue)
            if let line = error.line { p.number("line", Int64(line)) } else { p.raw("line", "null") }
            if let column = error.column { p.string("column", column) }
            p.string("message", error.message)
            p.string("fix", error.fix)
            return p.finish()
        }
        w.raw("problems", "[" + problems.joined(separator: ",") + "]")
        w.number("more", Int64(errors.more))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .badRequest, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: w.finish() + "\n")))
    }

    /// Runs CPU- and SQLite-bound work on a dispatch queue, so a 1M-row list does not hold one of
    /// the two cooperative threads the pipeline and the other clients share.
    static func offSharedThreads<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
