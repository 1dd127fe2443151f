import Foundation
import Testing
import TagwayModel
@testable import TagwayDecoders

/// Captured and vendor-documented reader traffic as a regression suite, after gpsd's
/// `test/daemon/*.log` + `.chk`: `Fixtures/<protocol-id>/<name>.hex` holds the bytes,
/// `<name>.chk` the frames they must decode to (one `FrameText` line each) and a final `drops`
/// line. In `.hex`, `#` starts a comment and `#! key=value ...` sets protocol options.
struct Fixture: Sendable, CustomTestStringConvertible {
    var protocolID: String
    var name: String
    var hexURL: URL
    var checkURL: URL

    var testDescription: String { "\(protocolID)/\(name)" }

    /// Every fixture in the bundle, sorted; empty if the resource directory is missing, which
    /// `FixtureTests.everyProtocolHasFixtures` turns into a failure.
    static let all: [Fixture] = {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return [] }
        let manager = FileManager.default
        var found: [Fixture] = []
        let protocols = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
        for protocolID in protocols.sorted() {
            let directory = root.appendingPathComponent(protocolID)
            let files = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".hex") {
                let name = String(file.dropLast(4))
                found.append(Fixture(
                    protocolID: protocolID, name: name,
                    hexURL: directory.appendingPathComponent(file),
                    checkURL: directory.appendingPathComponent(name + ".chk")))
            }
        }
        return found
    }()

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes and options of the `.hex` file.
    func input() throws -> (bytes: [UInt8], options: ProtocolOptions) {
        let text = try String(contentsOf: hexURL, encoding: .utf8)
        var bytes: [UInt8] = []
        var options: ProtocolOptions = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if rawLine.hasPrefix("#!") {
                for pair in rawLine.dropFirst(2).split(separator: " ") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { throw FormatError(description: "\(name).hex:\(number + 1): bad option '\(pair)'") }
                    options[String(parts[0])] = String(parts[1])
                }
                continue
            }
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for token in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                guard let decoded = HexCoding.decode(token) else {
                    throw FormatError(description: "\(name).hex:\(number + 1): '\(token)' is not hex bytes")
                }
                bytes += decoded
            }
        }
        return (bytes, options)
    }

    /// The expected frame lines and the drops line of the `.chk` file.
    func expected() throws -> (frames: [String], drops: String) {
        let text = try String(contentsOf: checkURL, encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let last = lines.popLast(), last.hasPrefix("drops ") else {
            throw FormatError(description: "\(name).chk must end with a 'drops ...' line")
        }
        return (lines, last)
    }
}

@Suite struct FixtureTests {
    @Test(arguments: Fixture.all)
    func fixtureDecodesAsChecked(_ fixture: Fixture) throws {
        let descriptor = try #require(ProtocolRegistry.descriptor(for: fixture.protocolID),
                                      "no protocol '\(fixture.protocolID)' in the registry")
        let (bytes, options) = try fixture.input()
        let expected = try fixture.expected()
        for chunking in Chunking.all {
            let outcome = decode(bytes, with: try descriptor.makeDecoder(options), chunking: chunking)
            let frames = outcome.frames.map(FrameText.render)
            #expect(frames == expected.frames, "\(fixture.testDescription) fed \(chunking)")
            #expect(FrameText.drops(outcome.drops) == expected.drops, "\(fixture.testDescription) fed \(chunking)")
        }
    }

    @Test func everyProtocolHasFixtures() {
        for id in ["barcode-serial", "magicrf-m100", "pn532-hsu", "thingmagic-mercury"] {
            #expect(Fixture.all.filter { $0.protocolID == id }.count >= 2, "fixtures for \(id)")
        }
    }

    @Test func everyFixtureHasACheckFile() {
        for fixture in Fixture.all {
            #expect(FileManager.default.fileExists(atPath: fixture.checkURL.path), "\(fixture.testDescription).chk")
        }
    }
}
