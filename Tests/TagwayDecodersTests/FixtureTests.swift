import Foundation
import Testing
import TagwayTestSupport
import TagwayHID
import TagwayModel
@testable import TagwayDecoders
import TagwayProtocols

/// Captured and vendor-documented reader traffic as a regression suite, after gpsd's
/// `test/daemon/*.log` + `.chk`: `Fixtures/<descriptor.fixturesFolder>/<name>.hex` holds the
/// traffic, `<name>.chk` the frames it must decode to (one `FrameText` line each) and a final
/// `drops` line. In `.hex`, `#` starts a comment and `#! key=value ...` sets protocol settings;
/// for a serial protocol the lines are one byte stream, for a HID protocol each line is one
/// input report.
struct Fixture: Sendable, CustomTestStringConvertible {
    /// The folder, which names the protocol through its descriptor's `fixturesFolder`.
    var folder: String
    var name: String
    var hexURL: URL
    var checkURL: URL

    var testDescription: String { "\(folder)/\(name)" }

    /// Every fixture in the bundle, sorted; empty if the resource directory is missing, which
    /// the registry's completeness test turns into a failure.
    static let all: [Fixture] = {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return [] }
        let manager = FileManager.default
        var found: [Fixture] = []
        let protocols = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
        for folder in protocols.sorted() {
            let directory = root.appendingPathComponent(folder)
            let files = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".hex") {
                let name = String(file.dropLast(4))
                found.append(Fixture(
                    folder: folder, name: name,
                    hexURL: directory.appendingPathComponent(file),
                    checkURL: directory.appendingPathComponent(name + ".chk")))
            }
        }
        return found
    }()

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    static func count(in folder: String) -> Int { all.filter { $0.folder == folder }.count }

    /// The lines of bytes and the settings of the `.hex` file.
    func input() throws -> (lines: [[UInt8]], options: ProtocolSettings) {
        let file = try HexFixtureFile(contentsOf: hexURL)
        return (file.lines, file.options)
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
        let descriptor = try #require(ProtocolRegistry.all.first { $0.fixturesFolder == fixture.folder },
                                      "no protocol in the registry keeps its fixtures in '\(fixture.folder)'")
        let (lines, options) = try fixture.input()
        let expected = try fixture.expected()
        switch descriptor.driver {
        case .serialBytes(let driver):
            let bytes = lines.flatMap { $0 }
            for chunking in Chunking.all {
                let outcome = decode(bytes, with: try driver.makeDecoder(options), chunking: chunking)
                let frames = outcome.frames.map(FrameText.render)
                #expect(frames == expected.frames, "\(fixture.testDescription) fed \(chunking)")
                #expect(FrameText.drops(outcome.drops) == expected.drops, "\(fixture.testDescription) fed \(chunking)")
            }
        case .hidReports:
            // The reports in order, 5 ms apart, as `TrafficDecoding` plays them.
            var decoder = try TrafficDecoding.hidDecoder(for: descriptor, settings: options)
            var frames: [ReaderFrame] = []
            var now = Timestamp(milliseconds: 0)
            for report in lines {
                frames += decoder.feed(report: report, at: now)
                now = now + .milliseconds(5)
            }
            frames += decoder.flush(now: now + .seconds(60))
            #expect(frames.map(FrameText.render) == expected.frames, "\(fixture.testDescription)")
            #expect(FrameText.drops(decoder.statistics) == expected.drops, "\(fixture.testDescription)")
            #expect(try TrafficDecoding.frames(of: .reports(lines), by: descriptor, settings: options) == frames)
        case .llrpMessages(let driver):
            // The reader's side of a dialogue, replayed through a new conversation in every chunking.
            let bytes = lines.flatMap { $0 }
            for chunking in Chunking.all {
                let replay = try ConversationRehearsal.replay(chunking.chunks(of: bytes), by: driver, settings: options)
                #expect(replay.frames.map(FrameText.render) == expected.frames, "\(fixture.testDescription) fed \(chunking)")
                #expect(FrameText.drops(replay) == expected.drops, "\(fixture.testDescription) fed \(chunking)")
            }
            #expect(try TrafficDecoding.frames(of: .bytes(bytes), by: descriptor, settings: options).map(FrameText.render) == expected.frames)
        }
    }

    @Test func everyProtocolHasTwoFixtures() {
        for descriptor in ProtocolRegistry.all {
            #expect(Fixture.count(in: descriptor.fixturesFolder) >= 2, "fixtures for \(descriptor.id)")
        }
    }

    @Test func everyFixtureHasACheckFile() {
        for fixture in Fixture.all {
            #expect(FileManager.default.fileExists(atPath: fixture.checkURL.path), "\(fixture.testDescription).chk")
        }
    }
}

extension FrameText {
    /// `drops truncated-scan=N ...`: what a HID decoder counts instead of dropped bytes.
    static func drops(_ s: HIDDecoderStatistics) -> String {
        "drops truncated-scan=\(s.truncatedScans) overlong-scan=\(s.overlongScans) unmapped-key=\(s.unmappedKeys) "
            + "malformed-report=\(s.malformedReports) error-report=\(s.errorReports) ignored-report=\(s.ignoredReports)"
    }
}

extension FrameText {
    /// `drops <kind>=N ...` of a conversation: the problems it counted, sorted, and what ended it
    /// (`failure=<kind>`); `drops none` when it read everything.
    static func drops(_ replay: ConversationRehearsal.Replay) -> String {
        var parts = replay.problems.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        if let failure = replay.failure { parts.append("failure=\(failure.kind)") }
        return "drops " + (parts.isEmpty ? "none" : parts.joined(separator: " "))
    }
}

extension Chunking {
    /// `bytes` cut as this chunking feeds them (the same cuts `decode(_:with:chunking:)` makes).
    func chunks(of bytes: [UInt8]) -> [[UInt8]] {
        switch self {
        case .whole:
            return [bytes]
        case .bytewise:
            return bytes.map { [$0] }
        case .random(let seed, let maxSize):
            var generator = SeededGenerator(seed: seed)
            var chunks: [[UInt8]] = []
            var index = 0
            while index < bytes.count {
                let end = min(bytes.count, index + Int.random(in: 1...maxSize, using: &generator))
                chunks.append(Array(bytes[index..<end]))
                index = end
            }
            return chunks
        }
    }
}
