import AsyncHTTPClient
import Foundation
import Logging
import NATSServerSupport
import TagwayAPI
import TagwayConfig
import TagwaySinks
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// `GET /readyz` of the site's API over real HTTP, against two site processes' runners on a real
/// nats-server: ready while their JetStream can be read (the active process and the standby
/// alike), 503 naming the `jetstream` check once the server is gone, ready again when it is back.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteReadinessTests {
    let fixture: NATSServerFixture
    var server: NATSServer { fixture.server }

    init() throws { fixture = try NATSServerFixture("site-ready") }

    struct Answer {
        var status: Int
        var ready: Bool
        /// name → (ok, detail)
        var checks: [String: (ok: Bool, detail: String)]
        var body: String
        var retryAfter: String?
    }

    func readyz(_ port: Int) async throws -> Answer {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
        var checks: [String: (ok: Bool, detail: String)] = [:]
        for check in json["checks"] as? [[String: Any]] ?? [] {
            checks[check["name"] as? String ?? ""] = (check["ok"] as? Bool ?? false, check["detail"] as? String ?? "")
        }
        return Answer(status: Int(response.status.code), ready: json["ready"] as? Bool ?? false, checks: checks, body: body,
                      retryAfter: response.headers.first(name: "Retry-After"))
    }

    /// Asks `/readyz` every 50 ms until `condition` holds (at most 30 s); returns the last answer.
    func poll(_ port: Int, until condition: (Answer) -> Bool) async throws -> Answer {
        var answer = try await readyz(port)
        for _ in 0..<600 where !condition(answer) {
            try await Task.sleep(for: .milliseconds(50))
            answer = try await readyz(port)
        }
        return answer
    }

    /// A runner and its API (token-protected; `/readyz` is public) on a free port, until the task is cancelled.
    func start(_ config: SiteConfiguration, owner: String) async throws -> (runner: SiteRunner, port: Int, task: Task<Void, Never>) {
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        options.owner = owner
        options.retryDelay = .milliseconds(200)
        return try await runSiteWithAPI(config, options: options, token: "site-ready-token-0123456789")
    }

    @Test func readyWhileJetStreamCanBeReadAndNotWhileTheServerIsDown() async throws {
        // The gateways' stream, as a gateway's sink makes it (the site's consumer binds to it).
        let gateways = try SiteScenario.connect([server.url])
        defer { gateways.connection.close() }
        var config = try SiteRunnerTests.configuration([server.url])
        config.api = APIConfig(host: "127.0.0.1", port: 0)
        let active = try await start(config, owner: "active")
        defer { active.task.cancel() }
        var answer = try await poll(active.port) { $0.status == 200 && $0.checks["lease"]?.detail.hasPrefix("active") == true }
        #expect(answer.status == 200 && answer.ready, "\(answer.body)")
        #expect(answer.checks["jetstream"]?.ok == true, "\(answer.body)")
        #expect(answer.checks["lease"]?.ok == true && answer.checks["lease"]?.detail.hasPrefix("active") == true, "\(answer.body)")

        // A standby is ready too: it serves the same reads from the bucket.
        let standby = try await start(config, owner: "standby")
        defer { standby.task.cancel() }
        answer = try await poll(standby.port) { $0.status == 200 }
        #expect(answer.status == 200 && answer.ready, "\(answer.body)")
        #expect(answer.checks["lease"]?.ok == true && answer.checks["lease"]?.detail.hasPrefix("standby") == true, "\(answer.body)")
        #expect(active.runner.counters.active && !standby.runner.counters.active, "\(active.runner.counters)")

        // The server goes: both processes say so, naming the jetstream check; the lease check stays ok.
        let nats = server
        await onOwnThread { nats.kill() }
        for port in [active.port, standby.port] {
            answer = try await poll(port) { $0.status == 503 }
            #expect(answer.status == 503 && !answer.ready, "\(answer.body)")
            #expect(answer.retryAfter == String(Readiness.retryAfterSeconds), "\(answer.retryAfter ?? "no Retry-After")")
            #expect(answer.checks["jetstream"]?.ok == false, "\(answer.body)")
            #expect(answer.checks["lease"]?.ok == true, "\(answer.body)")
            #expect(answer.checks.values.filter { !$0.ok }.count == 1, "\(answer.body)")
        }

        // It comes back (same port, same store): ready again, both.
        try await onOwnThread { try nats.start() }
        for port in [active.port, standby.port] {
            answer = try await poll(port) { $0.status == 200 }
            #expect(answer.status == 200 && answer.ready, "\(answer.body)")
            #expect(answer.retryAfter == nil, "a ready answer has no Retry-After")
            #expect(answer.checks["jetstream"]?.ok == true, "\(answer.body)")
        }
    }

    @Test func aLostLeaseIsNotAJetStreamFailureAndASilentSessionIsStale() throws {
        let start = ContinuousClock.now
        let health = SiteJetStreamHealth()
        func evaluate(at now: ContinuousClock.Instant) -> Readiness {
            SiteReadiness.evaluate(health.evidence, active: false, stale: .seconds(30), leaseTTL: .seconds(10), now: now)
        }
        #expect(evaluate(at: start).checks.first { $0.name == "jetstream" }?.detail == "connecting")
        health.failed(SiteJetStream.Failure(description: "connect to nats://127.0.0.1:1: No server available"))
        health.failed(SiteJetStream.Failure(description: "connect to nats://127.0.0.1:1: No server available"))
        let failing = evaluate(at: .now)
        #expect(!failing.ready)
        #expect(failing.checks.first?.detail.contains("(2 attempts): connect to") == true, "\(failing.json)")
        health.read()
        health.failed(SiteJetStream.Failure(description: "the lease was taken over", leaseLost: true))
        #expect(health.evidence.failure == nil && health.evidence.leaseLost)
        #expect(evaluate(at: .now).checks.first?.detail == "reconnecting")

        // A session connected that reads nothing for longer than `stale` is stuck.
        let config = try SiteRunnerTests.configuration([server.url])
        let connection = try NATSConnection(options: try SiteRunner(config: config).natsOptions())
        defer { connection.close() }
        health.opened(connection)
        let opened = ContinuousClock.now
        #expect(evaluate(at: opened).ready)
        let silent = evaluate(at: opened + .seconds(31))
        #expect(!silent.ready && silent.checks.first?.detail.hasPrefix("connected, but nothing read for 31") == true, "\(silent.json)")
    }
}
