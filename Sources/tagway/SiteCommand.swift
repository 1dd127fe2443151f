import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TagwayAPI
import TagwayConfig
import TagwayGateway
import TagwaySiteRunner

/// `tagway site --config site.yaml` (issue 17): the site view process. No readers: it consumes
/// every gateway's events of one site from JetStream, keeps the site-wide picture in a key-value
/// bucket and publishes site events (cross-gateway moves, site rule alerts). Several can run for
/// one site: one holds the lease and works, the others stand by and take over when it dies. The
/// holder forwards site events to the site's `sinks:`; every process serves the site's `api:`.
///
/// SIGHUP reads the file's API tokens again (`SiteTokenReload`).
///
/// Exit codes: 0 stopped (SIGTERM, SIGINT); 2 the configuration is wrong (the message names the
/// file and line, or the API token); 1 the API cannot listen.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Join a site's gateways' JetStream events into one site view (key-value bucket) and site events.")

    @Option(name: .shortAndLong, help: "The site configuration (YAML): site, nats, stream, consumer, bucket, view, rules, events, sinks, api.")
    var config: String

    @Option(help: ArgumentHelp("How long the stream waits for an ack before it redelivers (what a standby waits for the messages a dead process held).",
                               valueName: "SECONDS"))
    var ackWait: Int = 30

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = try logging.makeLogger(label: "tagway.site")
        let site: SiteConfiguration
        do { site = try SiteConfigReader.load(file: config) } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        guard (1...86_400).contains(ackWait) else { throw ValidationError("--ack-wait must be 1 to 86400 seconds") }
        var options = SiteRunner.Options()
        options.ackWait = .seconds(ackWait)
        do { try await SiteOutbox.checkSinks(site) } catch {
            FileHandle.standardError.write(Data("\(config): \(error)\n".utf8))
            throw ExitCode(2)
        }
        let runner = SiteRunner(config: site, options: options, logger: logger)
        let api = try await listenAPI(site, runner: runner, logger: logger)
        let serving = api.map { api in Task { try await api.listener.serve() } }
        let reload = SiteTokenReload.watch(file: config, access: api?.access, logger: logger)
        defer {
            reload.cancel()
            serving?.cancel()
            api?.site.close()
        }
        logger.info("site \(site.site): consuming stream \(site.stream) (\(site.subjects)) as \(site.consumer)")
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: SiteService(runner: runner, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch { logger.critical("site service: \(error)") }
        let counters = runner.counters
        logger.info("site \(site.site): stopped; \(counters.received) messages, \(counters.published) site events, \(counters.problems) problems")
    }
}

extension SiteCommand {
    /// Binds the site's API (when configured) before anything else starts, as `tagway run` does:
    /// a token that cannot be used stops the start (exit 2), a port that is taken too (exit 1).
    func listenAPI(_ site: SiteConfiguration, runner: SiteRunner, logger: Logger) async throws
        -> (site: SiteAPI, listener: APIListener, access: APIAccess)? {
        guard let api = site.api else { return nil }
        let policy: APIAccessPolicy
        do { policy = try APIAccessPolicy.resolve(api) } catch {
            FileHandle.standardError.write(Data("\(config): \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let access = APIAccess(policy)
        let siteAPI = SiteAPI(runner: runner, api: api, options: APIOptions(api, access: access), logger: logger)
        do { return (siteAPI, try await siteAPI.server.listen(), access) } catch {
            logger.critical("site \(site.site): \(error.description)")
            siteAPI.close()
            throw ExitCode(1)
        }
    }
}

/// The runner as a service: SIGTERM cancels it, and it applies what it holds before it returns.
struct SiteService: Service {
    let runner: SiteRunner
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown { await runner.run() }
    }
}
