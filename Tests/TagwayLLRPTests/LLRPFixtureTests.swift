import Foundation
import Testing
import TagwayDecoders
import TagwayModel
import TagwayTestSupport
@testable import TagwayLLRP

/// Byte-exact LLRP traffic written from the 1.0.1 specification's layouts, after gpsd's
/// `.log` + `.chk`: `Fixtures/<name>.hex` holds the stream (hex bytes, `#` comments, `#! key=value`
/// options), `<name>.chk` the line each message must decode to (`LLRPText`, `error …`,
/// `framing-error …`). With `#! reencode=exact` every message must also encode back to its bytes.
struct LLRPFixture: Sendable, CustomTestStringConvertible {
    var name: String
    var hexURL: URL
    var checkURL: URL
    var testDescription: String { name }

    static let all: [LLRPFixture] = {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return [] }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return files.filter { $0.hasSuffix(".hex") }.sorted().map { file in
            let name = String(file.dropLast(4))
            return LLRPFixture(name: name, hexURL: root.appendingPathComponent(file),
                               checkURL: root.appendingPathComponent(name + ".chk"))
        }
    }()

    func input() throws -> (bytes: [UInt8], options: [String: String]) {
        let file = try HexFixtureFile(contentsOf: hexURL)
        return (file.bytes, file.options)
    }

    func expected() throws -> [String] {
        try String(contentsOf: checkURL, encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

@Suite struct LLRPFixtureTests {
    @Test(arguments: LLRPFixture.all)
    func fixtureDecodesAsChecked(_ fixture: LLRPFixture) throws {
        let (bytes, options) = try fixture.input()
        let expected = try fixture.expected()
        for chunking in LLRPStream.Chunking.all {
            let stream = LLRPStream(bytes, chunking: chunking)
            #expect(stream.lines == expected, "\(fixture.name) fed \(chunking)")
        }
        if options["reencode"] == "exact" {
            let stream = LLRPStream(bytes)
            #expect(stream.envelopes.flatMap(LLRPCodec.encode) == bytes, "\(fixture.name) re-encoded")
        }
    }

    @Test func theFixturesTheIssueAsksForArePresent() {
        let names = Set(LLRPFixture.all.map(\.name))
        for name in ["connection-attempt", "keepalive", "capabilities-impinj-r420", "client-requests", "report-epc96",
                     "report-epcdata-uptime", "report-impinj", "error-message", "add-rospec-error", "session-stream", "bad-stream"] {
            #expect(names.contains(name), "\(name).hex")
        }
        for fixture in LLRPFixture.all {
            #expect(FileManager.default.fileExists(atPath: fixture.checkURL.path), "\(fixture.name).chk")
        }
    }

    /// Every decoded fixture message round-trips through the model (the reader's messages lose
    /// what the model does not keep, once; after that the bytes are stable).
    @Test(arguments: LLRPFixture.all)
    func decodedFixtureMessagesRoundTrip(_ fixture: LLRPFixture) throws {
        for envelope in LLRPStream(try fixture.input().bytes).envelopes {
            let again = LLRPStream(LLRPCodec.encode(envelope)).envelopes
            #expect(again == [envelope], "\(fixture.name): \(LLRPText.render(envelope))")
        }
    }
}
