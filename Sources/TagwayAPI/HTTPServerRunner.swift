#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Serves a Hummingbird responder as `Application.run()` does, minus its `DateCache`: that
/// service refreshes the `Date` header on a 1 s timer for the life of the process, which woke an
/// idle gateway every second (issue 16). The header is formatted for each response instead (a
/// few hundred nanoseconds; the API answers probes and pages, not a flood of requests).
struct HTTPServerRunner<Responder: HTTPResponder>: Sendable
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let responder: Responder
    let server: HTTPServerBuilder
    let configuration: ServerConfiguration
    let onServerRunning: @Sendable (any Channel) async -> Void
    let logger: Logger

    /// Serves until the calling task is cancelled or the server fails.
    func run() async throws {
        let (responder, logger, serverName) = (responder, logger, configuration.serverName)
        let service = try server.buildServer(configuration: configuration, eventLoopGroup: EventLoopGroupProvider.singleton.eventLoopGroup,
                                             logger: logger) { request, writer, channel in
            let context = Responder.Context(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                // The request itself is broken: the channel answers it, not a second response here.
                throw error
            } catch {
                logger.debug("unrecognised error", metadata: ["error.type": "\(error)"])
                response = Response(status: .internalServerError, body: .init())
            }
            response.headers[.date] = HTTPDateHeader.now()
            if let serverName { response.headers[.server] = serverName }
            try await writer.write(response: response.head, body: response.body)
        } onServerRunning: { channel in
            await onServerRunning(channel)
        }
        try await ServiceGroup(configuration: .init(services: [service], logger: logger)).run()
    }
}

/// RFC 9110's IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) of the wall clock, in the C locale.
enum HTTPDateHeader {
    static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 40)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
