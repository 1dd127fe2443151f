import Logging
import TagwayAPI
import TagwayConfig
import Testing
@testable import TagwaySiteRunner

/// A site runner and its API (behind `token`; `/healthz` and `/readyz` are public) on a free
/// port, both running until the returned task is cancelled; the API closes after them.
func runSiteWithAPI(_ config: SiteConfiguration, options: SiteRunner.Options, token: String,
                    poll: Duration = .seconds(5), keepAlive: Duration = .seconds(15))
    async throws -> (runner: SiteRunner, port: Int, task: Task<Void, Never>) {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let runner = SiteRunner(config: config, options: options, logger: logger)
    let api = try #require(config.api)
    let site = SiteAPI(runner: runner, api: api, options: APIOptions(access: APIAccess(APIAccessPolicy(tokens: [token]))),
                       logger: logger, poll: poll, keepAlive: keepAlive)
    let listener = try await site.server.listen()
    let task = Task {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await runner.run() }
            group.addTask { try? await listener.serve() }
        }
        site.close()
    }
    return (runner, listener.port, task)
}
