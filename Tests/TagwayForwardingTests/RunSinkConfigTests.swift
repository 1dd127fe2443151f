import Foundation
import Testing

/// `tagway run` refuses to start when a sink's secret is missing, naming the variable and never
/// printing a secret.
@Suite struct RunSinkConfigTests {
    @Test func aMissingSecretStopsTheStartWithItsName() throws {
        let dir = Fixture.temporaryDirectory("secret")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = dir + "/gateway.yaml"
        try """
            gateway: { id: s, dataDir: "\(dir)", devicesDir: "\(SinkConfigTests.devices)" }
            readers:
              - { id: desk, profile: generic/serial-barcode, port: "\(dir)/none", readPoint: helpdesk }
            sinks:
              - { id: ok, webhook: { url: "http://127.0.0.1:9/hook", secret: "literal-secret-value" } }
              - { id: itam, webhook: { url: "http://127.0.0.1:9/hook", secret: "env:TAGWAY_TEST_UNSET_SECRET" } }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let errors = dir + "/stderr.log"
        let gateway = try GatewayRunner(["run", "--config", config], errorFile: errors)
        gateway.process.waitUntilExit()
        #expect(gateway.process.terminationStatus != 0)
        #expect(gateway.errors.contains("sink itam: env:TAGWAY_TEST_UNSET_SECRET is not set in the environment"), "\(gateway.errors)")
        #expect(!gateway.errors.contains("literal-secret-value"))
    }
}
