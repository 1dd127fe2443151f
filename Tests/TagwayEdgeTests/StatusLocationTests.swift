import Foundation
import Logging
import Testing
@testable import TagwayGateway
import TagwayTestSupport

/// Where status.json goes: `gateway.runtimeDir`, else systemd's `RUNTIME_DIRECTORY`, else the data
/// directory; and what `StatusPlacement` does with it at start.
@Suite struct StatusLocationTests {
    @Test func theConfiguredDirectoryWinsOverSystemds() {
        let location = StatusLocation.resolve(dataDir: "/var/lib/tagway", configured: "/run/tw", environment: ["RUNTIME_DIRECTORY": "/run/tagway"])
        #expect(location == StatusLocation(directory: "/run/tw", link: "/var/lib/tagway/status.json"))
        #expect(location.path == "/run/tw/status.json")
        #expect(location.temporary == "/run/tw/.status.json.tmp")
    }

    @Test func systemdsFirstRuntimeDirectoryIsUsed() {
        let location = StatusLocation.resolve(dataDir: "/var/lib/tagway", configured: nil,
                                              environment: ["RUNTIME_DIRECTORY": "/run/tagway:/run/tagway-extra"])
        #expect(location == StatusLocation(directory: "/run/tagway", link: "/var/lib/tagway/status.json"))
    }

    @Test(arguments: [nil, "", "/var/lib/tagway/", "/var/lib/./tagway"] as [String?])
    func withoutARuntimeDirectoryTheFileIsTheDataDirectorys(_ runtime: String?) {
        let environment = runtime.map { ["RUNTIME_DIRECTORY": $0] } ?? [:]
        let location = StatusLocation.resolve(dataDir: "/var/lib/tagway", configured: nil, environment: environment)
        #expect(location == StatusLocation(directory: "/var/lib/tagway", link: nil))
        #expect(location.path == "/var/lib/tagway/status.json")
    }

    @Test func placementLinksTheDataDirectoryToTheRuntimeFile() throws {
        let dir = temporaryDirectory("status-place")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let captured = CapturedLog()
        let wanted = StatusLocation.resolve(dataDir: dir, configured: dir + "/run", environment: [:])
        let placed = StatusPlacement.prepare(wanted, logger: captured.logger)
        #expect(placed == wanted)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/status.json") == dir + "/run/status.json")
        #expect(!FileManager.default.fileExists(atPath: dir + "/" + StatusPlacement.linkTemporaryName))
        #expect(captured.lines(atLeast: .warning).isEmpty)
        // A second start finds its own link and keeps it.
        #expect(StatusPlacement.prepare(wanted, logger: captured.logger) == wanted)
        #expect(captured.lines(atLeast: .warning).isEmpty)
    }

    @Test func aLinkThatCannotBeMadeLeavesTheFileInTheDataDirectoryWithOneWarning() throws {
        let dir = temporaryDirectory("status-place-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The data directory itself refuses the link: a read-only data directory is the log's
        // problem, but placement must not be what fails the start.
        let wanted = StatusLocation.resolve(dataDir: dir + "/missing", configured: dir + "/run", environment: [:])
        let captured = CapturedLog()
        let placed = StatusPlacement.prepare(wanted, logger: captured.logger)
        #expect(placed == StatusLocation(directory: dir + "/missing", link: nil))
        let warnings = captured.lines(atLeast: .warning)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("status.json stays in the data directory: \(dir)/missing/\(StatusPlacement.linkTemporaryName): symlink failed: No such file or directory") == true,
                "\(warnings)")
    }
}
