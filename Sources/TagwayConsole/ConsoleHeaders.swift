import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The headers every console answer carries: a policy that allows only the gateway's own
/// scripts, styles and connections (no inline code, no framing), and no MIME sniffing or
/// referrers, so a token typed into the page cannot leak through a third-party load.
enum ConsoleHeaders {
    static let contentSecurityPolicy = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
        + "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    static func common() -> HTTPFields {
        var headers = HTTPFields()
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy  // force-unwrap-ok: literal names
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"  // force-unwrap-ok: literal names
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"  // force-unwrap-ok: literal names
        return headers
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// RFC 9110 §13.1.2: `*`, or a comma list of entity tags compared weakly (a `W/` prefix is ignored).
    static func matches(_ ifNoneMatch: String?, etag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        for candidate in ifNoneMatch.split(separator: ",") {
            var tag = candidate.trimmingCharacters(in: .whitespaces)[...]
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
