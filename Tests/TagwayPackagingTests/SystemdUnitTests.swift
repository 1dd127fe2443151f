import Foundation
import Testing
import TagwayTestSupport

/// `systemd-analyze verify` on packaging/tagway.service. Verify needs ExecStart's binary to exist,
/// so it checks a copy whose /usr/bin/tagway is rewritten to the debug build's path (the rest of
/// the unit, hardening included, is verified as shipped).
@Suite struct SystemdUnitTests {
    static let shipped = TestPaths.repositoryRoot + "/packaging/tagway.service"

    func verify(_ unit: String) throws -> ExternalCommand {
        let dir = TestPaths.temporaryDirectory("unit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try unit.write(toFile: dir + "/tagway.service", atomically: true, encoding: .utf8)
        return try ExternalCommand.run(["systemd-analyze", "verify", dir + "/tagway.service"],
                                       environment: ["SYSTEMD_LOG_COLOR": "0"])
    }

    @Test func theShippedUnitPassesSystemdAnalyzeVerify() throws {
        let unit = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        let result = try verify(unit.replacingOccurrences(of: "/usr/bin/tagway", with: TestPaths.tagwayExecutable.path))
        #expect(result.status == 0, "\(result.transcript)")
        #expect(!result.stderr.contains("tagway.service:"), "systemd-analyze warned about the unit:\n\(result.stderr)")
    }

    @Test func verifyFailsOnAUnitWhoseBinaryIsMissing() throws {
        let unit = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        let result = try verify(unit.replacingOccurrences(of: "/usr/bin/tagway", with: "/nonexistent/tagway"))
        #expect(result.status != 0, "\(result.transcript)")
    }

    @Test func theUnitHasTheContractedSettings() throws {
        let settings = Set(try String(contentsOfFile: Self.shipped, encoding: .utf8).split(separator: "\n").map(String.init))
        for line in ["Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "ExecReload=/bin/kill -HUP $MAINPID",
                     "ExecStart=/usr/bin/tagway run --config /etc/tagway/gateway.yaml", "User=tagway", "Group=tagway",
                     "StateDirectory=tagway", "RuntimeDirectory=tagway", "RuntimeDirectoryPreserve=yes", "ConfigurationDirectory=tagway", "TimeoutStopSec=30s", "Restart=on-failure",
                     "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                     "DeviceAllow=char-ttyUSB rw", "DeviceAllow=char-ttyACM rw", "DeviceAllow=char-hidraw rw",
                     "DeviceAllow=char-usb_device rw", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK"] {
            #expect(settings.contains(line), "packaging/tagway.service lacks \(line)")
        }
        #expect(settings.contains { $0.hasPrefix("SupplementaryGroups=") && $0.contains("tagway") })
    }
}
