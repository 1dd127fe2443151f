import Foundation
import Testing
import TagwayTestSupport

/// `make deb` from the debug build (DEB_BINARY, DEB_REQUIRE_STATIC=no: the real `make deb`
/// packages a release binary with the Swift runtime linked statically, minutes of build that a
/// test does not spend), then dpkg-deb --info/--contents, lintian, and install, remove and purge
/// in a scratch root with `dpkg --root --force-script-chrootless` (the maintainer scripts honour
/// DPKG_ROOT, so they create the user and enable the unit inside the scratch root).
@Suite(.serialized) struct DebianPackageTests {
    /// lintian tags that come from how the test packages, not from the package: the debug
    /// build's RUNPATH into the Swift toolchain, and no compression (DEB_COMPRESSION=none saves
    /// the test a minute of compressing a 77 MB debug binary; `make deb` uses xz).
    static let testBuildTags: Set<String> = ["custom-library-search-path", "uses-no-compression-for-control-tarball",
                                             "uses-no-compression-for-data-tarball"]

    struct Built {
        let directory: String
        let deb: String
    }

    func buildDeb() throws -> Built {
        let out = TestPaths.temporaryDirectory("deb")
        let make = try ExternalCommand.run(["make", "--no-print-directory", "deb", "DEB_BINARY=\(TestPaths.tagwayExecutable.path)",
                                            "DEB_REQUIRE_STATIC=no", "DEB_OUT=\(out)"],
                                           in: TestPaths.repositoryRoot, environment: ["DEB_COMPRESSION": "none"],
                                           timeout: .seconds(600))
        #expect(make.status == 0, "\(make.transcript)")
        let deb = make.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(deb.hasSuffix(".deb") && FileManager.default.fileExists(atPath: deb), "\(make.transcript)")
        return Built(directory: out, deb: deb)
    }

    @Test func theDebIsAcceptedByDpkgDebAndLintianAndInstallsRemovesAndPurgesInAScratchRoot() throws {
        let built = try buildDeb()
        defer { try? FileManager.default.removeItem(atPath: built.directory) }

        let info = try ExternalCommand.run(["dpkg-deb", "--info", built.deb])
        #expect(info.status == 0, "\(info.transcript)")
        for field in [" Package: tagway", " Version: 0.", " Architecture: ", " Maintainer: "] {
            #expect(info.stdout.contains(field), "dpkg-deb --info lacks \(field):\n\(info.stdout)")
        }
        let depends = info.stdout.split(separator: "\n").first { $0.hasPrefix(" Depends: ") }.map(String.init) ?? ""
        for library in ["libsqlite3-0", "libusb-1.0-0", "libudev1", "libmosquitto1", "libnats3.4", "adduser"] {
            #expect(depends.contains(library), "Depends lacks \(library): \(depends)")
        }
        for script in ["postinst", "prerm", "postrm", "conffiles", "md5sums"] {
            #expect(info.stdout.contains(" \(script)"), "no \(script) in the control archive:\n\(info.stdout)")
        }

        let contents = try ExternalCommand.run(["dpkg-deb", "--contents", built.deb])
        #expect(contents.status == 0, "\(contents.transcript)")
        let listed = contents.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("-") else { return nil }   // regular files
            #expect(line.contains(" root/root "), "not owned by root: \(line)")
            return line.split(separator: " ").last.map { String($0.dropFirst(2)) }
        }.sorted()
        let expected = (InstallLayoutTests.expectedFiles() + ["usr/share/doc/tagway/changelog.Debian.gz",
                                                               "usr/share/doc/tagway/copyright",
                                                               "usr/share/lintian/overrides/tagway"]).sorted()
        #expect(listed == expected)

        let lintian = try ExternalCommand.run(["lintian", "--tag-display-limit", "0", built.deb], timeout: .seconds(600))
        let findings = lintian.stdout.split(separator: "\n").map(String.init)
        print("lintian on the debug-build package:\n" + findings.joined(separator: "\n"))
        let errors = findings.filter { $0.hasPrefix("E: ") }.filter { line in
            !Self.testBuildTags.contains { line.contains(": \($0)") }
        }
        #expect(errors.isEmpty, "lintian errors:\n\(errors.joined(separator: "\n"))\n\(lintian.stderr)")

        try installRemovePurge(built.deb, in: built.directory)
    }

    /// dpkg into an empty root that only has the account files the maintainer scripts edit.
    func installRemovePurge(_ deb: String, in directory: String) throws {
        let root = directory + "/root"
        let fm = FileManager.default
        for dir in ["etc", "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        try "root:x:0:0:root:/root:/bin/sh\n".write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\n".write(toFile: root + "/etc/group", atomically: true, encoding: .utf8)
        try "".write(toFile: root + "/var/lib/dpkg/status", atomically: true, encoding: .utf8)
        let dpkg = ["dpkg", "--root=\(root)", "--admindir=\(root)/var/lib/dpkg", "--force-script-chrootless",
                    "--force-depends", "--log=/dev/null"]

        let install = try ExternalCommand.run(dpkg + ["-i", deb])
        #expect(install.status == 0, "\(install.transcript)")
        #expect(install.stdout.contains("systemctl start tagway"), "\(install.stdout)")
        for file in InstallLayoutTests.expectedFiles() {
            #expect(fm.fileExists(atPath: root + "/" + file), "dpkg did not install \(file)")
        }
        let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
        let user = passwd.split(separator: "\n").first { $0.hasPrefix("tagway:") }.map { $0.split(separator: ":", omittingEmptySubsequences: false) }
        #expect(user?[5] == "/var/lib/tagway" && user?[6] == "/usr/sbin/nologin", "\(passwd)")
        #expect(try String(contentsOfFile: root + "/etc/group", encoding: .utf8).contains("\ntagway:"))
        let state = try fm.attributesOfItem(atPath: root + "/var/lib/tagway")
        #expect((state[.ownerAccountID] as? NSNumber)?.stringValue == user.map { String($0[2]) })
        #expect(state[.posixPermissions] as? Int == 0o750)
        let wants = root + "/etc/systemd/system/multi-user.target.wants/tagway.service"
        #expect(try fm.destinationOfSymbolicLink(atPath: wants) == "/lib/systemd/system/tagway.service")

        // remove keeps the configuration, the event log's directory and the user.
        try "events".write(toFile: root + "/var/lib/tagway/events.sqlite", atomically: true, encoding: .utf8)
        let remove = try ExternalCommand.run(dpkg + ["--remove", "tagway"])
        #expect(remove.status == 0, "\(remove.transcript)")
        #expect(!fm.fileExists(atPath: root + "/usr/bin/tagway"))
        #expect(!fm.fileExists(atPath: root + "/usr/share/tagway"))
        #expect(fm.fileExists(atPath: root + "/etc/tagway/gateway.yaml"))
        #expect(fm.fileExists(atPath: root + "/var/lib/tagway/events.sqlite"))
        #expect(try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8).contains("\ntagway:"))

        // purge removes them.
        let purge = try ExternalCommand.run(dpkg + ["--purge", "tagway"])
        #expect(purge.status == 0, "\(purge.transcript)")
        #expect(!fm.fileExists(atPath: root + "/etc/tagway"))
        #expect(!fm.fileExists(atPath: root + "/var/lib/tagway"))
        #expect(!(try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)).contains("tagway:"))
        #expect(!(try String(contentsOfFile: root + "/etc/group", encoding: .utf8)).contains("tagway:"))
        #expect((try? fm.destinationOfSymbolicLink(atPath: wants)) == nil)
    }
}
