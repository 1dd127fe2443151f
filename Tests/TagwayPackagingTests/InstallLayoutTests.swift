import Foundation
import Testing
import TagwayTestSupport

/// `make install` into a DESTDIR (the debug build, CONFIGURATION=debug): exactly the expected files,
/// the unit rewritten to the install's paths, an installed binary that finds its installed profiles,
/// and `make uninstall` that keeps the configuration.
@Suite(.serialized) struct InstallLayoutTests {
    static let repository = TestPaths.repositoryRoot
    static var binary: String { TestPaths.tagwayExecutable.path }

    /// The files `make install` lays out for PREFIX=/usr.
    static func expectedFiles() -> [String] {
        let profiles = filesUnder(TestPaths.repositoryDevices).map { "usr/share/tagway/devices/\($0)" }
        return (profiles + ["etc/tagway/gateway.yaml", "lib/systemd/system/tagway.service",
                            "lib/udev/rules.d/70-tagway.rules", "usr/bin/tagway"]).sorted()
    }

    @Test func installLaysOutExactlyTheExpectedFilesAndUninstallKeepsTheConfiguration() throws {
        let destdir = TestPaths.temporaryDirectory("install")
        defer { try? FileManager.default.removeItem(atPath: destdir) }
        let install = try ExternalCommand.run(["make", "--no-print-directory", "install", "DESTDIR=\(destdir)", "PREFIX=/usr",
                                               "CONFIGURATION=debug", "TAGWAY_BINARY=\(Self.binary)"], in: Self.repository)
        #expect(install.status == 0, "\(install.transcript)")
        #expect(install.stdout.contains("systemctl daemon-reload && systemctl enable --now tagway"), "\(install.stdout)")
        #expect(filesUnder(destdir) == Self.expectedFiles())

        let unit = try String(contentsOfFile: destdir + "/lib/systemd/system/tagway.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/tagway run --config /etc/tagway/gateway.yaml\n"))
        let example = try String(contentsOfFile: Self.repository + "/packaging/gateway.example.yaml", encoding: .utf8)
        #expect(try String(contentsOfFile: destdir + "/etc/tagway/gateway.yaml", encoding: .utf8) == example)
        let mode = try FileManager.default.attributesOfItem(atPath: destdir + "/usr/bin/tagway")[.posixPermissions] as? Int
        #expect(mode == 0o755)

        // The installed binary finds the installed profiles (PREFIX/share/tagway/devices) by itself.
        let check = try ExternalCommand.run([destdir + "/usr/bin/tagway", "check-config", destdir + "/etc/tagway/gateway.yaml"],
                                            environment: ["TAGWAY_DEVICES": ""])
        #expect(check.status == 0, "\(check.transcript)")
        #expect(check.stdout.contains("profiles from \(destdir)/usr/share/tagway/devices"), "\(check.stdout)")

        // A second install keeps an edited configuration.
        try "# edited\n".appending(example).write(toFile: destdir + "/etc/tagway/gateway.yaml", atomically: true, encoding: .utf8)
        let again = try ExternalCommand.run(["make", "--no-print-directory", "install", "DESTDIR=\(destdir)", "PREFIX=/usr",
                                             "TAGWAY_BINARY=\(Self.binary)"], in: Self.repository)
        #expect(again.status == 0, "\(again.transcript)")
        #expect(try String(contentsOfFile: destdir + "/etc/tagway/gateway.yaml", encoding: .utf8).hasPrefix("# edited\n"))

        let uninstall = try ExternalCommand.run(["make", "--no-print-directory", "uninstall", "DESTDIR=\(destdir)", "PREFIX=/usr"],
                                                in: Self.repository)
        #expect(uninstall.status == 0, "\(uninstall.transcript)")
        #expect(filesUnder(destdir) == ["etc/tagway/gateway.yaml"])
    }

    @Test func aLocalPrefixInstallsUnderItAndPointsTheUnitThere() throws {
        let destdir = TestPaths.temporaryDirectory("install-local")
        defer { try? FileManager.default.removeItem(atPath: destdir) }
        let install = try ExternalCommand.run(["make", "--no-print-directory", "install", "DESTDIR=\(destdir)", "PREFIX=/opt/tagway",
                                               "SYSCONFDIR=/opt/tagway/etc", "TAGWAY_BINARY=\(Self.binary)"], in: Self.repository)
        #expect(install.status == 0, "\(install.transcript)")
        let files = filesUnder(destdir)
        #expect(files.allSatisfy { $0.hasPrefix("opt/tagway/") }, "\(files)")
        #expect(files.contains("opt/tagway/lib/udev/rules.d/70-tagway.rules"))
        let unit = try String(contentsOfFile: destdir + "/opt/tagway/lib/systemd/system/tagway.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/tagway/bin/tagway run --config /opt/tagway/etc/tagway/gateway.yaml\n"), "\(unit)")
        #expect(unit.contains("ConditionPathExists=/opt/tagway/etc/tagway/gateway.yaml\n"))
    }

    @Test func installWithoutABuiltBinarySaysWhatToBuild() throws {
        let destdir = TestPaths.temporaryDirectory("install-nobinary")
        defer { try? FileManager.default.removeItem(atPath: destdir) }
        let install = try ExternalCommand.run(["make", "--no-print-directory", "install", "DESTDIR=\(destdir)",
                                               "TAGWAY_BINARY=\(destdir)/missing/tagway"], in: Self.repository)
        #expect(install.status != 0)
        #expect(install.stderr.contains("build it first"), "\(install.transcript)")
        #expect(filesUnder(destdir).isEmpty)
    }

    @Test func theExampleConfigurationPassesCheckConfigWithoutWarnings() throws {
        let check = try ExternalCommand.run([Self.binary, "check-config", "--devices", TestPaths.repositoryDevices,
                                             Self.repository + "/packaging/gateway.example.yaml"])
        #expect(check.status == 0, "\(check.transcript)")
        #expect(!check.stderr.contains("warning"), "\(check.stderr)")
        #expect(check.stdout.contains("3 reader(s)"), "\(check.stdout)")
    }
}
