import AsyncHTTPClient
import Foundation
import NATSServerSupport
import Testing

/// SIGHUP of a real `tagway site`: the API's `file:` token is read again, so a rotated token works
/// and the old one stops, without a restart; a file that no longer reads changes nothing; the
/// process keeps running either way (SIGHUP's default action would end it).
@Suite(.serialized, .enabled(if: NATSServer.available)) final class SiteTokenReloadTests {
    let site: SiteProcesses

    init() throws { site = try SiteProcesses("site-token-reload") }

    func status(_ port: Int, token: String) async -> Int? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/status")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)) else { return nil }
        return Int(response.status.code)
    }

    /// Waits (up to 30 s) until `token` gets `code`.
    func until(_ port: Int, token: String, gets code: Int) async throws -> Bool {
        for _ in 0..<300 {
            if await status(port, token: token) == code { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func aRotatedTokenFileTakesEffectOnSIGHUP() async throws {
        let old = "site-token-old-0123456789abcdefghij", new = "site-token-new-0123456789abcdefghij"
        let tokenFile = site.directory + "/token", file = site.directory + "/site.yaml"
        try old.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let port = NATSServer.freePort()
        let yaml = """
            site: reload
            nats: { servers: [\(site.server.url)] }
            api: { listen: "127.0.0.1:\(port)", tokens: ["file:\(tokenFile)"] }
            """
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let process = try site.start(file, name: "site")
        #expect(try await until(port, token: old, gets: 200), "\(site.log("site"))")
        #expect(await status(port, token: new) == 401)

        try new.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        #expect(try await until(port, token: new, gets: 200), "\(site.log("site"))")
        #expect(await status(port, token: old) == 401)
        #expect(process.isRunning)

        // A file that no longer reads: refused, logged, the tokens in force stay.
        try (yaml + "\nview: { handoverWindow: soon }\n").write(toFile: file, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        var logged = false
        for _ in 0..<300 where !logged {
            logged = site.log("site").contains("refused, nothing changed")
            if !logged { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(logged, "\(site.log("site"))")
        #expect(await status(port, token: new) == 200)
        #expect(process.isRunning)
    }
}
