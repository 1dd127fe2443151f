import Foundation
import Testing
import TagwayConfig
import TagwayGateway

/// `ConfigChanges`: what an apply reports as changed, as sentences, from two parsed files.
@Suite struct ConfigChangesTests {
    static let base = """
        gateway: { id: gw, dataDir: /tmp/x }
        readers:
          - { id: r1, profile: magicrf/m100, port: /dev/a, antennas: { 1: door-in, 2: door-out } }
          - { id: r2, profile: magicrf/m100, port: /dev/b, readPoint: bay-1 }

        """

    static func config(_ rest: String) throws -> GatewayConfig {
        try GatewayConfigLoader.parse(base + rest, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
    }

    @Test func nothingChangedSaysNothing() throws {
        let text = "zones:\n  - { id: dock, readPoints: [bay-1] }\n"
        #expect(ConfigChanges.between(running: try Self.config(text), loaded: try Self.config("\n" + text)) == [])
    }

    @Test func zonesRulesAndMovementAreNamedWithWhatChanged() throws {
        let running = try Self.config("""
            zones:
              - { id: dock-1, door: { inside: [door-in], outside: [door-out] } }
              - { id: store, name: Store, readPoints: [bay-1] }
            rules:
              - { id: laptops, match: { scheme: giai }, allowedZones: [store] }
              - { id: old, match: { scheme: sgtin }, alertOn: [passed-out] }
            movement: { threshold: 6 }
            """)
        let loaded = try Self.config("""
            zones:
              - { id: dock-1, name: Dock 1, door: { inside: [door-out], outside: [door-in] } }
              - { id: returns, mode: scan, readPoints: [bay-1] }
            rules:
              - { id: laptops, match: { scheme: giai }, allowedZones: [returns, dock-1] }
            movement: { threshold: 8.5, holdoff: 2s }
            logging: { level: debug }
            """)
        #expect(ConfigChanges.between(running: running, loaded: loaded) == [
            "zone store removed",
            "zone dock-1: name (none) → Dock 1",
            "zone dock-1: door inside door-in → door-out",
            "zone dock-1: door outside door-out → door-in",
            "zone returns added",
            "rule old removed",
            "rule laptops: allowedZones store → returns, dock-1",
            "movement.threshold 6 dB → 8.5 dB",
            "movement.holdoff 500ms → 2s",
            "logging.level info → debug",
        ])
    }

    @Test func readersTokensAndGatewaySettingsAreListedWithoutSecrets() throws {
        let running = try Self.config("""
            api: { listen: "127.0.0.1:8080", tokens: ["env:A", { name: facilities, token: "env:B" }] }
            """)
        let loaded = try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: /tmp/y }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/c, antennas: { 1: door-in, 2: door-out } }
              - { id: r3, profile: magicrf/m100, port: /dev/b, readPoint: bay-1 }
            api: { listen: "127.0.0.1:8080", tokens: ["env:C", { name: it, token: "env:B" }], public: [healthz] }
            """, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
        #expect(ConfigChanges.between(running: running, loaded: loaded) == [
            "gateway.dataDir changed",
            "reader r2 removed",
            "reader r1 changed",
            "reader r3 added",
            "api token facilities removed",
            "api token token-1 changed",
            "api token it added",
            "api.public healthz, readyz → healthz",
        ])
    }
}
