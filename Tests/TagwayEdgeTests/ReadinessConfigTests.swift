import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// `gateway.readyGrace` and `readers[].required`: what `/readyz` forgives, read with bounds and
/// located errors.
@Suite struct ReadinessConfigTests {
    func parse(gateway: String = "", reader: String = "") throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: /tmp/x\(gateway) }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a\(reader) }
              - { id: r2, profile: magicrf/m100, port: /dev/b }
            """, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
    }

    func errors(gateway: String = "", reader: String = "") -> [String] {
        do throws(ConfigErrors) {
            _ = try parse(gateway: gateway, reader: reader)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func defaultsAreThirtySecondsAndRequired() throws {
        let config = try parse()
        #expect(config.readyGrace == .seconds(30))
        #expect(config.readers.map(\.required) == [true, true])
    }

    @Test func bothAreRead() throws {
        let config = try parse(gateway: ", readyGrace: 1s", reader: ", required: false")
        #expect(config.readyGrace == .seconds(1))
        #expect(config.readers.map(\.required) == [false, true])
        #expect(try parse(gateway: ", readyGrace: 0s").readyGrace == .zero)
        #expect(try parse(gateway: ", readyGrace: 1h").readyGrace == .seconds(3_600))
    }

    @Test func outOfRangeOrWrongTypesAreLocatedErrors() {
        for bad in ["61m", "-1s", "1e30s", "soon"] {
            let found = errors(gateway: ", readyGrace: \(bad)")
            #expect(found.count == 1, "\(found)")
            #expect(found.first?.hasPrefix("/etc/tagway/gw.yaml:1:") == true, "\(found)")
            #expect(found.first?.contains("gateway.readyGrace") == true, "\(found)")
        }
        let found = errors(reader: ", required: maybe")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("/etc/tagway/gw.yaml:3:") == true, "\(found)")
        #expect(found.first?.contains("required") == true, "\(found)")
        #expect(found.first?.contains("true or false") == true, "\(found)")
    }
}
