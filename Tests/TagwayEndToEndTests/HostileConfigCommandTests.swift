import Foundation
import Testing

/// Issue 10 through the real `tagway`: a configuration that would leave the gateway without
/// readers stops both `check-config` and `run`, a directory is said to be one, and a literal
/// secret is warned about by `check-config`.
@Suite struct HostileConfigCommandTests {
    @Test func aMissingDevicesFolderStopsCheckConfigAndRun() throws {
        let dir = makeTemporaryDirectory("no-devices")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            gateway: { id: gw, dataDir: "\(dir)/data", devicesDir: "\(dir)/nowhere" }
            readers:
              - { id: r1, profile: magicrf/m100, port: "\(dir)/port" }
            """.write(toFile: dir + "/gw.yaml", atomically: true, encoding: .utf8)
        for arguments in [["check-config", dir + "/gw.yaml"], ["run", "--config", dir + "/gw.yaml"]] {
            let command = arguments[0]
            let result = try runTagway(arguments, timeout: .seconds(60))
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("gw.yaml:1:"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("device profile folder \(dir)/nowhere (gateway.devicesDir) does not exist"), "\(command): \(result.stderr)")
            #expect(!result.stdout.contains("OK"), "\(command): \(result.stdout)")
        }
    }

    @Test func aDirectoryAsConfigAndALiteralSecret() throws {
        let dir = makeTemporaryDirectory("config-dir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let asDirectory = try runTagway(["check-config", dir, "--devices", repositoryDevices])
        #expect(asDirectory.status == 2)
        #expect(asDirectory.stderr.contains("\(dir):0:0: is a directory; expected a YAML file"), "\(asDirectory.stderr)")
        #expect(!asDirectory.stderr.contains("NSCocoaErrorDomain"))

        try """
            gateway: { id: gw, dataDir: "\(dir)/data" }
            readers:
              - { id: r1, profile: magicrf/m100, port: "\(dir)/port" }
            sinks:
              - { id: m, mqtt: { host: localhost, password: hunter2 } }
            """.write(toFile: dir + "/gw.yaml", atomically: true, encoding: .utf8)
        let literal = try runTagway(["check-config", dir + "/gw.yaml", "--devices", repositoryDevices])
        #expect(literal.status == 0, "\(literal.stderr)")
        #expect(literal.stderr.contains("warning: \(dir)/gw.yaml:5:49: sinks[0].mqtt.password: a secret is written in the configuration file"),
                "\(literal.stderr)")
        #expect(!literal.stderr.contains("hunter2") && !literal.stdout.contains("hunter2"))
    }
}
