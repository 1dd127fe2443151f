import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// The settings that bound what the gateway holds under faults and load (issue 10): events held
/// while the disk is full, how long a stop retries, the start check's budget, the API's streams.
@Suite struct FaultLimitsConfigTests {
    static let base = """
        gateway: { id: gw, dataDir: /tmp/x, maxHeldEvents: 500, stopTimeout: 7s, startCheck: 2m }
        readers:
          - { id: r1, profile: magicrf/m100, port: /dev/a }
        api: { listen: "127.0.0.1:8080", maxStreams: 9 }

        """

    @Test func theBoundsAreRead() throws {
        let config = try GatewayConfigLoader.parse(Self.base, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
        #expect(config.maxHeldEvents == 500)
        #expect(config.stopTimeout == .seconds(7))
        #expect(config.startCheck == .seconds(120))
        #expect(config.api?.maxStreams == 9)
    }

    @Test func theDefaultsHoldWithoutThem() throws {
        let config = try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: /tmp/x }
            readers: [{ id: r1, profile: magicrf/m100, port: /dev/a }]
            api: { listen: "127.0.0.1:8080" }
            """, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
        #expect(config.maxHeldEvents == 10_000)
        #expect(config.stopTimeout == .seconds(3))
        #expect(config.stateInterval == .seconds(1))
        #expect(config.api?.maxStreams == 64)
    }

    @Test func theStateIntervalIsReadWithinItsBounds() throws {
        func parse(_ value: String) throws(ConfigErrors) -> Duration {
            try GatewayConfigLoader.parse("""
                gateway: { id: gw, dataDir: /tmp/x, stateInterval: \(value) }
                readers: [{ id: r1, profile: magicrf/m100, port: /dev/a }]
                """, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices).stateInterval
        }
        #expect(try parse("250ms") == .milliseconds(250))
        #expect(try parse("100ms") == .milliseconds(100))
        #expect(try parse("60s") == .seconds(60))
        for bad in ["99ms", "0", "61s", "-1s", "1e30s"] {
            do throws(ConfigErrors) {
                _ = try parse(bad)
                Issue.record("stateInterval \(bad) was taken")
            } catch {
                let messages = error.errors.map(\.description)
                #expect(messages.count == 1, "\(messages)")
                #expect(messages.first?.hasPrefix("/etc/tagway/gw.yaml:1:") == true, "\(messages)")
                #expect(messages.first?.contains("gateway.stateInterval") == true, "\(messages)")
                #expect(messages.first?.contains("from 100ms up to 60s") == true, "\(messages)")
            }
        }
    }

    @Test func outOfRangeBoundsAreLocated() {
        let yaml = """
            gateway: { id: gw, dataDir: /tmp/x, maxHeldEvents: 99999999999999999999, stopTimeout: 1e30s, startCheck: 11m }
            readers: [{ id: r1, profile: magicrf/m100, port: /dev/a }]
            api: { listen: "127.0.0.1:8080", maxStreams: 0 }
            """
        var found: [String] = []
        do {
            _ = try GatewayConfigLoader.parse(yaml, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
        } catch {
            found = error.errors.map(\.description)
        }
        for key in ["gateway.maxHeldEvents", "gateway.stopTimeout", "gateway.startCheck", "api.maxStreams"] {
            #expect(found.contains { $0.hasPrefix("/etc/tagway/gw.yaml:") && $0.contains(key) }, "\(key) not in \(found)")
        }
        #expect(found.count == 4, "\(found)")
    }
}
