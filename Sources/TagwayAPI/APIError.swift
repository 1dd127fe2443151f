import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TagwayEventLog
import TagwayModel

/// An API failure as the client sees it: a status and a JSON body `{"error": ..., "detail": ...}`,
/// so a consumer never has to guess from an empty 500 whether to fix its request (4xx), wait
/// (503 with Retry-After) or call someone (500: the gateway's log is damaged).
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// What went wrong, one short sentence.
    public let error: String
    /// What was refused or where it failed (the parameter, the header, the log file).
    public let detail: String?
    public let headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ error: String, detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers
    }

    public var description: String { "\(status.code) \(error)\(detail.map { ": \($0)" } ?? "")" }

    public var json: String {
        var w = JSONObjectWriter()
        w.string("error", error)
        if let detail { w.string("detail", detail) } else { w.raw("detail", "null") }
        return w.finish()
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json + "\n")))
    }

    /// A query parameter or header the client sent that cannot be used.
    static func badInput(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, "\(name) \(message)", detail: name)
    }

    /// Past a limit that protects the gateway; the client should come back later.
    static func overloaded(_ message: String, retryAfterSeconds: Int) -> APIError {
        unavailable(message, detail: "retry after \(retryAfterSeconds) s", retryAfterSeconds: retryAfterSeconds)
    }

    /// What the answer needs cannot be read now (a site's JetStream), through no fault of the
    /// request: 503 with `Retry-After`, as every 503 of the API, so a client waits and comes back.
    /// `detail` says why (the NATS error), for the operator.
    public static func unavailable(_ message: String, detail: String, retryAfterSeconds: Int) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfterSeconds)
        return APIError(.serviceUnavailable, message, detail: detail, headers: headers)
    }

    /// The event log could not be read. A damaged file is named as such, so the operator knows
    /// it is not the request.
    static func log(_ error: EventLogError) -> APIError {
        switch error {
        case .notALog, .corruptRow, .corruptAsset, .damaged:
            APIError(.internalServerError, "the event log is damaged", detail: error.description)
        case .replaced:
            APIError(.internalServerError, "the event log was deleted or replaced; the gateway is stopping",
                     detail: error.description)
        case .diskFull, .unavailable, .notWritable:
            APIError(.internalServerError, "the event log cannot be read", detail: error.description)
        }
    }
}

/// Turns every error a route (or the router, for an unknown path) throws into an `APIError`
/// response, and logs the ones that are the gateway's fault.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            if error.status.kind == .serverError { logger.error("pull API \(request.uri.path): \(error)") }
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? error.status.reasonPhrase, detail: request.uri.path, headers: error.headers)
        } catch let error as EventLogError {
            // A client that went away cancels its read; that is not a fault of the log.
            if Task.isCancelled { throw error }
            let api = APIError.log(error)
            logger.error("pull API \(request.uri.path): \(api)")
            throw api
        } catch {
            logger.error("pull API \(request.uri.path): \(error)")
            throw APIError(.internalServerError, "internal error", detail: "\(error)")
        }
    }
}
