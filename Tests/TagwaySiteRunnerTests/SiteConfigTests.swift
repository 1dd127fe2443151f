import Testing
import TagwayConfig
import TagwaySite

/// `site.yaml`: the defaults derived from the site's name, and located errors.
@Suite struct SiteConfigTests {
    @Test func defaultsComeFromTheSiteName() throws {
        let config = try SiteConfigReader.parse("""
            site: campus
            nats: { servers: [nats://127.0.0.1:4222] }
            """, file: "site.yaml")
        #expect(config.site == "campus")
        #expect(config.stream == "TAGWAY")
        #expect(config.subjects == "tagway.campus.>")
        #expect(config.consumer == "tagway-site-campus")
        #expect(config.bucket.name == "tagway-site-campus")
        #expect(config.events.subject == "tagway-site.{site}.{type}")
        #expect(config.events.stream.subjects == ["tagway-site.campus.>"])
    }

    @Test func everySectionIsRead() throws {
        let config = try SiteConfigReader.parse("""
            site: campus
            nats: { servers: [nats://a:4222, nats://b:4222], auth: { token: "env:NATS_TOKEN" } }
            stream: GATEWAYS
            consumer: site-one
            bucket: { name: campus-view, replicas: 3, leaseTTL: 5s }
            view: { handoverWindow: 90s, reorderWindow: 1s, gapTimeout: 10s, maxClockSkew: 2s }
            rules:
              - id: laptops-stay
                match: { keyPrefix: "urn:epc:id:giai:" }
                allowedZones: [dock-a/*, store-b/shelves]
            events: { subject: "site.{site}.{type}", stream: { replicas: 3, duplicateWindow: 10m } }
            """, file: "site.yaml")
        #expect(config.nats.servers.count == 2)
        #expect(config.stream == "GATEWAYS")
        #expect(config.consumer == "site-one")
        #expect(config.bucket.name == "campus-view" && config.bucket.replicas == 3 && config.bucket.leaseTTL == .seconds(5))
        #expect(config.view.handoverWindow == .seconds(90))
        #expect(config.view.reorderWindow == .seconds(1))
        #expect(config.rules.map(\.allowedZones) == [["dock-a/*", "store-b/shelves"]])
        #expect(config.events.stream.name == "TAGWAY_SITE_campus")
        #expect(config.events.stream.subjects == ["site.campus.>"])
        #expect(config.events.stream.replicas == 3)
        #expect(config.events.stream.duplicateWindow == .seconds(600))
    }

    @Test func mistakesAreLocated() {
        do {
            _ = try SiteConfigReader.parse("""
                site: campus
                nats: { servers: [http://x] }
                bucket: { name: "a.b" }
                rules:
                  - id: r
                    match: { keyPrefix: x }
                    allowedZones: [shelves]
                """, file: "site.yaml")
            Issue.record("accepted a wrong file")
        } catch {
            let text = error.description
            #expect(text.contains("site.yaml:2:"))
            #expect(text.contains("is not a NATS server URL"))
            #expect(text.contains("site.yaml:3:"))
            #expect(text.contains("'shelves' is not a site place"))
        }
    }

    @Test func missingSiteAndNATSAreSaid() {
        #expect(throws: ConfigErrors.self) { try SiteConfigReader.parse("view: { reorderWindow: 1s }", file: "s.yaml") }
    }

    @Test func sinksAndAPIAreTheGatewaysEntries() throws {
        let config = try SiteConfigReader.parse("""
            site: campus
            nats: { servers: [nats://127.0.0.1:4222] }
            sinks:
              - id: itam
                webhook: { url: "https://itam.example/hook" }
                batch: { maxEvents: 50 }
              - id: copy
                jetstream: { servers: [nats://127.0.0.1:4222], subject: "copy.{site}.{type}", stream: { name: COPY } }
            api: { listen: "127.0.0.1:8081", tokens: ["env:SITE_TOKEN"] }
            """, file: "site.yaml")
        #expect(config.sinks.map(\.id) == ["itam", "copy"])
        #expect(config.sinks.first?.delivery.maxEvents == 50)
        #expect(config.api?.port == 8081 && config.api?.tokens.count == 1)
    }

    @Test func aWrongSinkIsSaidAsInAGatewaysFile() {
        do {
            _ = try SiteConfigReader.parse("""
                site: campus
                nats: { servers: [nats://127.0.0.1:4222] }
                sinks:
                  - id: itam
                  - id: itam
                    webhook: { url: "https://itam.example/hook" }
                api: { port: 8 }
                """, file: "site.yaml")
            Issue.record("accepted a wrong file")
        } catch {
            let text = error.description
            #expect(text.contains("site.yaml:4:") && text.contains("sink 'itam' has no destination"), "\(text)")
            #expect(text.contains("missing key 'listen'"), "\(text)")
        }
    }
}
