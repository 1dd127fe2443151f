import AsyncHTTPClient
import Foundation
import Logging
import NATSServerSupport
import TagwayAPI
import TagwayConfig
import TagwayModel
import TagwayTestSupport
import Testing
@testable import TagwaySiteRunner

/// The site's HTTP API over real HTTP, against two site processes' runners on a real
/// nats-server: the active one and a standby each serve it, from the bucket and the site events
/// stream, so both answer the same. The gateway's routes, parameters and answer shapes.
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteAPITests {
    let fixture: NATSServerFixture
    var server: NATSServer { fixture.server }
    static let token = "site-api-test-token-0123456789"

    init() throws { fixture = try NATSServerFixture("site-api") }

    func get(_ url: String, token: String? = SiteAPITests.token) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    func json(_ url: String) async throws -> Any {
        let (status, body) = try await get(url)
        #expect(status == 200, "\(url): \(body)")
        return try JSONSerialization.jsonObject(with: Data(body.utf8))
    }

    /// A runner and its API on a free port, running until the returned task is cancelled.
    /// `onlyWakes`: event streams never poll (an hour), so only a published site event's wake moves them.
    func start(_ config: SiteConfiguration, owner: String,
               onlyWakes: Bool = false) async throws -> (runner: SiteRunner, port: Int, task: Task<Void, Never>) {
        var options = SiteRunner.Options()
        options.ackWait = .seconds(5)
        options.owner = owner
        return try await runSiteWithAPI(config, options: options, token: Self.token, poll: onlyWakes ? .seconds(3_600) : .seconds(5),
                                        keepAlive: onlyWakes ? .seconds(3_600) : .seconds(15))
    }

    @Test func theActiveProcessAndTheStandbyServeTheSitesPictureAndEvents() async throws {
        let events = SiteScenario.events(assets: 12)
        let expected = SiteScenario.expected(events)
        let total = expected.events.values.joined().count
        let nats = try SiteScenario.connect([server.url])
        try SiteScenario.publish(events, to: nats)
        var config = try SiteRunnerTests.configuration([server.url])
        config.api = APIConfig(host: "127.0.0.1", port: 0)
        let active = try await start(config, owner: "active")
        defer { active.task.cancel() }
        for _ in 0..<400 where active.runner.counters.published < total { try await Task.sleep(for: .milliseconds(50)) }
        let standby = try await start(config, owner: "standby")
        defer { standby.task.cancel() }
        #expect(active.runner.counters.published == total)
        let stream = SiteScenario.siteStream(nats, name: config.events.stream.name)

        for port in [active.port, standby.port] {
            let base = "http://127.0.0.1:\(port)"
            #expect(try await get(base + "/v1/assets", token: nil).status == 401)
            #expect(try await get(base + "/healthz", token: nil).status == 200)
            // The picture, page by page, as the gateway's /v1/assets pages.
            var rows: [[String: Any]] = []
            var after: String?
            for _ in 0..<10 {
                let page = try #require(try await json(base + "/v1/assets?limit=5" + (after.map { "&after=\($0)" } ?? "")) as? [String: Any])
                rows += try #require(page["assets"] as? [[String: Any]])
                #expect(page["lastSeq"] as? Int == total)
                after = page["next"] as? String
                if after == nil { break }
            }
            #expect(rows.count == expected.picture.count)
            for row in rows {
                let key = try #require(row["key"] as? String)
                let state = try #require(expected.picture[key])
                #expect(row["zone"] as? String == state.location.description)
                #expect(row["gateway"] as? String == state.location.gateway)
                #expect(row["lastEventId"] as? String == state.lastEventID)
                #expect(row["since"] as? String == state.since.iso8601)
            }
            let zone = try #require(expected.picture.values.first?.location.description)
            let inZone = try #require(try await json(base + "/v1/assets?zone=\(zone)&limit=1000") as? [String: Any])
            #expect((inZone["assets"] as? [Any])?.count == expected.picture.values.filter { $0.location.description == zone }.count)

            // One asset: its row and its latest site events, newest first.
            let (key, ids) = try #require(expected.events.first { expected.picture[$0.key] != nil })
            let encoded = try #require(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let one = try #require(try await json(base + "/v1/assets/\(encoded)") as? [String: Any])
            #expect(one["present"] as? Bool == true)
            #expect((one["events"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ids.reversed())
            #expect(try await get(base + "/v1/assets/nothing-here").status == 404)

            // The site events by seq, filtered as the gateway's.
            let page = try #require(try await json(base + "/v1/events?after=0&limit=1000") as? [[String: Any]])
            #expect(page.compactMap { $0["id"] as? String } == stream.map(\.id))
            #expect(page.compactMap { $0["seq"] as? Int } == Array(1...total))
            let moved = try #require(try await json(base + "/v1/events?type=moved&limit=1000") as? [[String: Any]])
            #expect(!moved.isEmpty && moved.allSatisfy { $0["type"] as? String == "moved" })
            let paged = try #require(try await json(base + "/v1/events?after=\(total - 2)") as? [[String: Any]])
            #expect(paged.compactMap { $0["seq"] as? Int } == [total - 1, total])
            #expect(try await get(base + "/v1/events?type=nonsense").status == 400)

            let status = try #require(try await json(base + "/v1/status") as? [String: Any])
            #expect(status["role"] as? String == (port == active.port ? "active" : "standby"))
            #expect(status["kind"] as? String == "site")
            #expect(status["leaseHolder"] as? String == "active")
            let positions = try #require(status["positions"] as? [String: Int])
            #expect(Set(positions.keys) == ["dock-a", "store-b"])
            #expect((status["consumer"] as? [String: Any])?["pending"] as? Int == 0)
            let metrics = try await get(base + "/metrics")
            #expect(metrics.status == 200 && metrics.body.contains("tagway_site_active"))
        }
        let activeMetrics = try await get("http://127.0.0.1:\(active.port)/metrics").body
        #expect(activeMetrics.contains("tagway_site_events_published_total \(total)"), "\(activeMetrics)")
    }

    @Test func theEventStreamFollowsNewSiteEvents() async throws {
        let events = SiteScenario.events(assets: 4)
        let total = SiteScenario.expected(events).events.values.joined().count
        let nats = try SiteScenario.connect([server.url])
        var config = try SiteRunnerTests.configuration([server.url])
        config.api = APIConfig(host: "127.0.0.1", port: 0)
        let active = try await start(config, owner: "active", onlyWakes: true)
        defer { active.task.cancel() }
        // A standby's stream too: it learns of the active process's site events by their wakes.
        let standby = try await start(config, owner: "standby", onlyWakes: true)
        defer { standby.task.cancel() }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(standby.port)/v1/events/stream")
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.headers.first(name: "content-type") == "text/event-stream")
        // Published after the client connected: the stream follows them as the site makes them.
        try SiteScenario.publish(events, to: nats)
        var text = ""
        var seqs: [Int] = []
        for try await chunk in response.body {
            text += String(buffer: chunk)
            while let range = text.range(of: "\n\n") {
                let frame = text[..<range.lowerBound]
                text.removeSubrange(..<range.upperBound)
                if let line = frame.split(separator: "\n").first(where: { $0.hasPrefix("id: ") }), let id = Int(line.dropFirst(4)) {
                    seqs.append(id)
                }
            }
            if seqs.count >= total { break }
        }
        #expect(seqs == Array(1...total))
    }
}
