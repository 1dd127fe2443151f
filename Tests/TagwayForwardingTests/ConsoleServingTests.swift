import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing
import TagwayAPI
@testable import TagwayConsole
import TagwayEventLog
import TagwayTestSupport

/// The console's files on a real API server on 127.0.0.1 (issue 13): served without a token
/// while /v1 keeps it, with the security headers, validators (304) and 404 for anything else.
@Suite(.serialized) struct ConsoleServingTests {
    static let token = "console-token-0123456789"

    struct Server {
        let log: EventLog
        let listener: APIListener
        let dir: String
        var base: String { "http://127.0.0.1:\(listener.port)" }

        init(tokens: [String]) async throws {
            dir = Fixture.temporaryDirectory("console-serving")
            log = try EventLog(directory: dir, durability: .normal)
            _ = try await Fixture.fill(log, count: 2)
            let options = APIOptions(access: APIAccess(APIAccessPolicy(tokens: tokens)))
            listener = try await APIServer(log: log, host: "127.0.0.1", port: 0, logger: LogRecorder().logger(level: .critical),
                                           options: options).listen()
        }

        func stop() {
            listener.stop()
            try? log.close()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func consolePathsNeedNoTokenWhileTheAPIStillDoes() async throws {
        let server = try await Server(tokens: [Self.token])
        defer { server.stop() }
        let index = try await fetch(server.base + "/console/")
        #expect(index.status == 200)
        #expect(index.headers["content-type"] == "text/html; charset=utf-8")
        #expect(index.body.contains("<script type=\"module\" src=\"app.js\"></script>"))
        let app = try await fetch(server.base + "/console/app.js")
        #expect(app.status == 200)
        #expect(app.headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(app.body == String(decoding: ConsoleAssets.all["app.js"]!.bytes, as: UTF8.self))
        // The data is not: /v1 still answers 401 without the token and 200 with it.
        #expect(try await fetch(server.base + "/v1/events").status == 401)
        #expect(try await fetch(server.base + "/v1/zones", headers: [("Authorization", "Bearer \(Self.token)")]).status == 200)
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        let server = try await Server(tokens: [Self.token])
        defer { server.stop() }
        for path in ["/console/", "/console/console.css", "/console/no-such-file.js", "/"] {
            let answer = try await fetch(server.base + path)
            #expect(answer.headers["content-security-policy"] == "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                + "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'", "\(path)")
            #expect(answer.headers["x-content-type-options"] == "nosniff", "\(path)")
            #expect(answer.headers["referrer-policy"] == "no-referrer", "\(path)")
        }
        let css = try await fetch(server.base + "/console/console.css")
        #expect(css.headers["cache-control"] == "no-cache")
        #expect(css.headers["content-type"] == "text/css; charset=utf-8")
    }

    @Test func theRootRedirectsToTheConsole() async throws {
        let server = try await Server(tokens: [Self.token])
        defer { server.stop() }
        var request = HTTPClientRequest(url: server.base + "/")
        request.method = .GET
        // A client that does not follow redirects, to see the 302 itself.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                configuration: .init(redirectConfiguration: .disallow))
        let answer: (status: UInt, location: String?)
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            answer = (response.status.code, response.headers.first(name: "location"))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(answer.status == 302)
        #expect(answer.location == "/console/")
    }

    @Test func aMatchingETagIsAnswered304AndAnotherOneGetsTheFile() async throws {
        let server = try await Server(tokens: [Self.token])
        defer { server.stop() }
        let first = try await fetch(server.base + "/console/format.js")
        let etag = try #require(first.headers["etag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        let again = try await fetch(server.base + "/console/format.js", headers: [("If-None-Match", etag)])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again.headers["etag"] == etag)
        let listed = try await fetch(server.base + "/console/format.js", headers: [("If-None-Match", "\"other\", W/\(etag)")])
        #expect(listed.status == 304)
        let changed = try await fetch(server.base + "/console/format.js", headers: [("If-None-Match", "\"stale\"")])
        #expect(changed.status == 200)
        #expect(changed.body == first.body)
    }

    @Test func unknownAndUnsafeNamesAre404AndNeverReachTheAPI() async throws {
        let server = try await Server(tokens: [Self.token])
        defer { server.stop() }
        for path in ["/console/nothing.js", "/console/../v1/events", "/console/.hidden", "/console/a/b.js", "/console/%2e%2e%2fPackage.swift"] {
            let answer = try await fetch(server.base + path)
            #expect(answer.status == 404, "\(path)")
            #expect(!answer.body.contains("seq"), "\(path)")
        }
        var post = HTTPClientRequest(url: server.base + "/console/app.js")
        post.method = .POST
        let refused = try await HTTPClient.shared.execute(post, timeout: .seconds(10))
        #expect(refused.status.code == 405)
        #expect(refused.headers.first(name: "allow") == "GET, HEAD")
    }

    @Test func aFolderInTheEnvironmentServesFilesFromDisk() async throws {
        let dir = Fixture.temporaryDirectory("console-dir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "export default 1;\n".write(toFile: dir + "/app.js", atomically: true, encoding: .utf8)
        let responder = ConsoleResponder(inner: NotFoundResponder(), files: .directory(dir))
        #expect(responder.files.asset(named: "app.js")?.bytes == Array("export default 1;\n".utf8))
        #expect(responder.files.asset(named: "index.html") == nil)
        // The pages: about 100 KB for a gateway's, and about 7 KB more for a site's
        // (site-overview.js is loaded only at a site, so a gateway's first load does not grow by
        // it). The API document is served with them but read by clients and tools, never by the
        // pages, so it is counted on its own: it grew with the site's schemas (issue 17).
        let document = ConsoleAssets.all[ConsoleAssets.apiDocumentName]?.bytes.count ?? 0
        #expect(document > 0, "the API document is embedded")
        #expect(ConsoleAssets.pageBytes < 110_000, "the console's pages stay small: \(ConsoleAssets.pageBytes) bytes")
        #expect(document < 70_000, "the API document: \(document) bytes")
    }
}

/// The API behind the console in the folder test: never reached there.
struct NotFoundResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    func respond(to request: Request, context: BasicRequestContext) async throws -> Response { Response(status: .notFound) }
}
