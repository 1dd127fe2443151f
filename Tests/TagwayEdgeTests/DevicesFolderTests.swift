import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// Issue 10: with no devices folder (or a wrong one) every reader was dropped silently and the
/// gateway ran with none. Now the folder is named in a located error and each reader's profile
/// is still reported.
@Suite struct DevicesFolderTests {
    static let config = """
        gateway: { id: gw, dataDir: /tmp/x, devicesDir: profiles }
        readers:
          - { id: r1, profile: magicrf/m100, port: /dev/a }
        """

    func errors(devicesDir: String? = nil, in dir: String) -> [String] {
        do {
            _ = try GatewayConfigLoader.parse(Self.config, file: dir + "/gw.yaml", devicesDir: devicesDir)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aDevicesDirThatDoesNotExistIsLocatedAndReadersStillReported() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(errors(in: dir) == [
            "\(dir)/gw.yaml:1:49: gateway.devicesDir: device profile folder \(dir)/profiles (gateway.devicesDir) does not exist; "
                + "expected the devices/ folder shipped with Tagway: gateway.devicesDir in this file, --devices DIR or TAGWAY_DEVICES",
            "\(dir)/gw.yaml:3:24: readers[0].profile: unknown device profile 'magicrf/m100'; expected a profile under devices/; `tagway profiles` lists them",
        ])
    }

    @Test func anEmptyFolderOrAFileGivenOnTheCommandLine() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/empty/acme", withIntermediateDirectories: true)
        try "not a profile".write(toFile: dir + "/empty/acme/README", atomically: true, encoding: .utf8)
        let empty = errors(devicesDir: dir + "/empty", in: dir)
        #expect(empty.first == "\(dir)/gw.yaml:1:1: gateway.devicesDir: device profile folder \(dir)/empty (--devices) holds no device profiles (*.yaml); "
                    + "expected the devices/ folder shipped with Tagway: gateway.devicesDir in this file, --devices DIR or TAGWAY_DEVICES")
        #expect(empty.count == 2)
        let file = errors(devicesDir: dir + "/empty/acme/README", in: dir)
        #expect(file.first?.contains("device profile folder \(dir)/empty/acme/README (--devices) is not a folder") == true, "\(file)")
    }
}
