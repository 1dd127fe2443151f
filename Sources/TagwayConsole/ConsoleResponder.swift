import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the console in front of the API's own responder: `/` redirects to `/console/`,
/// `/console/<file>` is a file of the console, everything else goes to `inner` (the token check,
/// then the API's routes). The console's files hold no data, so they need no token; every datum
/// the pages show comes from `/v1/*`, which keeps its token.
public struct ConsoleResponder<Inner: HTTPResponder>: HTTPResponder {
    public typealias Context = Inner.Context

    static var prefix: String { "/console/" }

    let inner: Inner
    let files: ConsoleFiles

    /// `files` nil: the embedded copies, or the folder `TAGWAY_CONSOLE_DIR` names (for people
    /// working on the console, who reload the page instead of rebuilding the gateway).
    public init(inner: Inner, files: ConsoleFiles? = nil) {
        self.inner = inner
        self.files = files ?? ConsoleFiles.fromEnvironment()
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/" || path == "/console" {
            return Self.redirect(to: Self.prefix, request: request)
        }
        guard path.hasPrefix(Self.prefix) else { return try await inner.respond(to: request, context: context) }
        guard request.method == .get || request.method == .head else {
            var headers = ConsoleHeaders.common()
            headers[.allow] = "GET, HEAD"
            return ConsoleHeaders.text(.methodNotAllowed, "the console's files are read with GET\n", headers: headers)
        }
        var name = String(path.dropFirst(Self.prefix.count))
        if name.isEmpty { name = "index.html" }
        guard ConsoleAsset.isServable(name), let asset = files.asset(named: name) else {
            return ConsoleHeaders.text(.notFound, "no console file \(name.isEmpty ? "?" : name)\n", headers: ConsoleHeaders.common())
        }
        var headers = ConsoleHeaders.common()
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "no-cache"
        if ConsoleHeaders.matches(request.headers[.ifNoneMatch], etag: asset.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        headers[.contentLength] = String(asset.bytes.count)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    static func redirect(to location: String, request: Request) -> Response {
        var headers = ConsoleHeaders.common()
        headers[.location] = location
        return Response(status: .found, headers: headers)
    }
}

/// Where the console's files come from: the embedded table, or a folder read on each request.
public enum ConsoleFiles: Sendable {
    case embedded
    case directory(String)

    public static let environmentVariable = "TAGWAY_CONSOLE_DIR"

    static func fromEnvironment() -> ConsoleFiles {
        guard let dir = ProcessInfo.processInfo.environment[environmentVariable], !dir.isEmpty else { return .embedded }
        return .directory(dir)
    }

    func asset(named name: String) -> ConsoleAsset? {
        switch self {
        case .embedded:
            return ConsoleAssets.all[name]
        case .directory(let dir):
            guard let data = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(name)) else { return nil }
            return ConsoleAsset(name: name, bytes: [UInt8](data))
        }
    }
}
