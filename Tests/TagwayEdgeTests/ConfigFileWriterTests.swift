import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// `ConfigFileWriter` on real file systems: numbered backups hold each replaced version, the
/// file keeps its mode, a symbolic link is followed, and a read-only directory fails with the
/// path and the system's reason, leaving the file, and no backup or temporary file, behind.
@Suite(.serialized) struct ConfigFileWriterTests {
    @Test func eachReplaceKeepsThePreviousVersionUnderTheNextNumber() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/gateway.yaml"
        try "one\n".write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o640)
        // Not backups of this file: another file's, a name that only looks like one.
        for name in ["other.yaml.~7~", "gateway.yaml.~x~", "gateway.yaml.~~", "gateway.yaml.bak"] {
            try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        let writer = ConfigFileWriter(path: file)
        #expect(writer.backups() == [])
        #expect(try writer.replace(with: Data("two\n".utf8)) == "gateway.yaml.~1~")
        #expect(try writer.replace(with: Data("three\n".utf8)) == "gateway.yaml.~2~")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "three\n")
        #expect(try String(contentsOfFile: file + ".~1~", encoding: .utf8) == "one\n")
        #expect(try String(contentsOfFile: file + ".~2~", encoding: .utf8) == "two\n")
        var info = stat()
        stat(file, &info)
        #expect(info.st_mode & 0o7777 == 0o640)
        // A gap (a backup deleted by hand) is not reused: the next number is past the highest.
        try FileManager.default.removeItem(atPath: file + ".~1~")
        try "nine\n".write(toFile: file + ".~9~", atomically: false, encoding: .utf8)
        #expect(try writer.replace(with: Data("four\n".utf8)) == "gateway.yaml.~10~")
        #expect(writer.backups() == ["gateway.yaml.~2~", "gateway.yaml.~9~", "gateway.yaml.~10~"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") } == [], "no temporary file left")
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: false)
        try "old\n".write(toFile: dir + "/real/gateway.yaml", atomically: false, encoding: .utf8)
        symlink(dir + "/real/gateway.yaml", dir + "/gateway.yaml")
        let backup = try ConfigFileWriter(path: dir + "/gateway.yaml").replace(with: Data("new\n".utf8))
        #expect(backup == "gateway.yaml.~1~")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/gateway.yaml") == dir + "/real/gateway.yaml")
        #expect(try String(contentsOfFile: dir + "/gateway.yaml", encoding: .utf8) == "new\n")
        #expect(try String(contentsOfFile: dir + "/real/gateway.yaml.~1~", encoding: .utf8) == "old\n")
    }

    @Test func aReadOnlyDirectoryFailsNamingItAndChangesNothing() throws {
        let fs = try Tmpfs("config-writer", size: "1m")
        defer { fs.unmount() }
        let file = fs.path + "/gateway.yaml"
        try "old\n".write(toFile: file, atomically: false, encoding: .utf8)
        try fs.remount(readOnly: true)
        #expect {
            try ConfigFileWriter(path: file).replace(with: Data("new\n".utf8))
        } throws: { error in
            (error as? ConfigWriteError)?.description == "cannot create a file in \(fs.path): Read-only file system"
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fs.path) == ["gateway.yaml"])
    }

    @Test func aFullFileSystemFailsTheWriteAndLeavesNoTemporaryFile() throws {
        let fs = try Tmpfs("config-full", size: "64k")
        defer { fs.unmount() }
        let file = fs.path + "/gateway.yaml"
        try "old\n".write(toFile: file, atomically: false, encoding: .utf8)
        #expect {
            try ConfigFileWriter(path: file).replace(with: Data(repeating: 0x61, count: 256 << 10))
        } throws: { error in
            (error as? ConfigWriteError)?.reason == "No space left on device"
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fs.path) == ["gateway.yaml"])
    }

    /// Text that is not on disk yet is checked as if it were the file: relative paths are
    /// taken from the file's directory, and bytes that are not UTF-8 are located.
    @Test func proposedTextIsCheckedAsTheFileItWillReplace() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "0123456789abcdef0123\n".write(toFile: dir + "/api.token", atomically: true, encoding: .utf8)
        chmod(dir + "/api.token", 0o600)
        let text = """
            gateway: { id: gw, dataDir: data }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a }
            api: { listen: "127.0.0.1:1", tokens: ["file:api.token"] }
            """
        let config = try GatewayConfigLoader.load(data: Data(text.utf8), as: dir + "/gateway.yaml", devicesDir: repositoryDevices)
        #expect(config.dataDir == dir + "/data")
        #expect(config.api?.tokens.first?.secret == .file(dir + "/api.token"))
        #expect(throws: ConfigErrors.self) {
            try GatewayConfigLoader.load(data: Data(text.utf8), as: "/nowhere/gateway.yaml", devicesDir: repositoryDevices)
        }
        var bytes = Data("gateway: { id: gw }\nreaders: [é]\n".utf8)
        bytes[bytes.count - 4] = 0xFF
        #expect {
            try GatewayConfigLoader.load(data: bytes, as: dir + "/gateway.yaml", devicesDir: repositoryDevices)
        } throws: { error in
            (error as? ConfigErrors)?.description == "\(dir)/gateway.yaml:2:11: byte 0xff at offset 30 is not UTF-8 text; expected a file saved as UTF-8"
        }
    }
}
