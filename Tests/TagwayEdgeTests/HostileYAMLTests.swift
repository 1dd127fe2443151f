import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// Issue 10: YAML resource attacks and malformed files are refused quickly, with where and why.
@Suite struct HostileYAMLTests {
    func errors(_ yaml: String) -> [String] {
        do {
            _ = try GatewayConfigLoader.parse(yaml, file: "gw.yaml", devicesDir: repositoryDevices)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// Nine levels of ten aliases each: 10^9 nodes once expanded, from a few hundred bytes.
    static func billionLaughs(asKeys: Bool) -> String {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10)
            if asKeys {
                // Each alias is a mapping key: Yams hashes every key to find duplicates.
                let pairs = refs.enumerated().map { "? \($1)\n  : \($0)" }.joined(separator: "\n  ")
                lines.append("a\(level): &a\(level)\n  \(pairs)")
            } else {
                lines.append("a\(level): &a\(level) [\(refs.joined(separator: ", "))]")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [false, true])
    func billionLaughsIsRefusedAtTheAliasThatExpandsTooFar(asKeys: Bool) {
        let found = errors(Self.billionLaughs(asKeys: asKeys))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains("the document expands to more than 100000 values (aliases included)") == true, "\(found)")
        #expect(found.first?.hasPrefix("gw.yaml:6:") == true || found.first?.hasPrefix("gw.yaml:") == true, "\(found)")
    }

    @Test func deepNestingIsRefused() {
        let found = errors("gateway: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("gw.yaml:1:41: gateway[0][0]") == true, "\(found)")
        #expect(found.first?.hasSuffix("lists and mappings nested more than 32 deep; expected at most 32 levels") == true, "\(found)")
        // Past libyaml's own bound (1000) the parser stops first; still one located error, no recursion.
        let deeper = errors("gateway: " + String(repeating: "[", count: 100_000) + "\n")
        #expect(deeper.count == 1 && deeper[0].hasPrefix("gw.yaml:1:") && deeper[0].contains("nesting level"), "\(deeper)")
    }

    @Test func tooManyAliasesAreRefused() {
        let list = Array(repeating: "*x", count: 1_001).joined(separator: ", ")
        let found = errors("x: &x 1\ny: [\(list)]\n")
        #expect(found.count == 1 && found[0].contains("more than 1000 aliases"), "\(found)")
    }

    @Test func aKeyGivenTwiceIsReportedAtTheSecondOne() {
        let found = errors("""
            gateway: { id: gw, dataDir: /tmp/x }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a, port: /dev/b }
            gateway: { id: gw2 }
            """)
        #expect(found == [
            "gw.yaml:3:52: readers[0].port: key given twice (first on line 3); expected each key once in a mapping",
            "gw.yaml:4:1: gateway: key given twice (first on line 1); expected each key once in a mapping",
        ])
    }

    @Test func aFileOverTheSizeLimitIsRefusedWithoutReadingIt() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.yaml"
        // Sparse: 50 MB by stat, no data written. Reading it would allocate 50 MB.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 50_000_000)
        try handle.close()
        #expect(throws: ConfigErrors.self) { try GatewayConfigLoader.load(file: path, devicesDir: repositoryDevices) }
        let text = loadErrors(path)
        #expect(text == "\(path):0:0: the file is 50000000 bytes; expected at most 1048576 bytes (1 MiB)")
    }

    @Test func aDirectoryIsSaidToBeOne() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(loadErrors(dir) == "\(dir):0:0: is a directory; expected a YAML file")
        #expect(loadErrors(dir + "/missing.yaml") == "\(dir)/missing.yaml:0:0: cannot read the file: No such file or directory")
    }

    @Test func aByteThatIsNotUTF8IsLocated() throws {
        let dir = try makeConfigDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/latin1.yaml"
        var bytes = Array("gateway: { id: gw, dataDir: /tmp/x }\nreaders:\n  - { id: caf".utf8)
        bytes += [0xE9] + Array(", profile: magicrf/m100, port: /dev/a }\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(loadErrors(path) == "\(path):3:14: byte 0xe9 at offset 59 is not UTF-8 text; expected a file saved as UTF-8")
    }

    func loadErrors(_ path: String) -> String {
        do {
            _ = try GatewayConfigLoader.load(file: path, devicesDir: repositoryDevices)
            return ""
        } catch {
            return error.description
        }
    }
}

func makeConfigDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "tagway-config-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
