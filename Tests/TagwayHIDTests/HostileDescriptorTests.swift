import Foundation
import Testing
import TagwayHID
import TagwayModel

/// Report descriptors a hostile or broken USB device can present (HostileDescriptors/*.hex):
/// each either parses or is a typed error naming the item and its byte offset; none traps.
/// Every file says what it expects in a `# expect:` line: `parses` or `error <offset> <item>`.
@Suite("Hostile HID report descriptors")
struct HostileDescriptorTests {
    struct Fixture: CustomStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var expectation: String
        var description: String { name }
    }

    static let fixtures: [Fixture] = {
        let dir = Bundle.module.resourceURL!.appendingPathComponent("HostileDescriptors")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".hex") }.sorted().map { name in
            let text = (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
            var expectation = ""
            var digits: [Int] = []
            for line in text.split(separator: "\n") {
                if line.hasPrefix("# expect: ") { expectation = String(line.dropFirst("# expect: ".count)) }
                if !line.hasPrefix("#") { digits += line.compactMap(\.hexDigitValue) }
            }
            let bytes = stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
            return Fixture(name: name, bytes: bytes, expectation: expectation)
        }
    }()

    @Test func everyFixtureIsRead() {
        #expect(Self.fixtures.count >= 20)
        #expect(Self.fixtures.allSatisfy { !$0.bytes.isEmpty && !$0.expectation.isEmpty })
    }

    @Test("each hostile descriptor parses or fails where its file says", arguments: fixtures)
    func fixture(_ fixture: Fixture) {
        let words = fixture.expectation.split(separator: " ", maxSplits: 2).map(String.init)
        do {
            _ = try HIDReportDescriptor(bytes: fixture.bytes)
            #expect(words == ["parses"], "\(fixture.name) parsed; expected \(fixture.expectation)")
        } catch {
            #expect(words.first == "error", "\(fixture.name): \(error)")
            #expect(words.count == 3 && Int(words[1]) == error.offset && words[2] == error.item,
                    "\(fixture.name): \(error); expected \(fixture.expectation)")
            #expect(error.description.contains("byte \(error.offset)"))
        }
    }

    @Test func logicalExtentsAreSignExtendedAndKept() throws {
        let fixture = try #require(Self.fixtures.first { $0.name == "logical-minimum-near-int32-max.hex" })
        let field = try #require(try HIDReportDescriptor(bytes: fixture.bytes).inputFields.first)
        #expect(field.logicalMinimum == Int(Int32.max))
        #expect(field.logicalMaximum == Int(Int32.min))
    }

    @Test func usageRangeAtTheTopOfThe32BitSpaceStopsAtTheCap() throws {
        let fixture = try #require(Self.fixtures.first { $0.name == "usage-range-top.hex" })
        let field = try #require(try HIDReportDescriptor(bytes: fixture.bytes).inputFields.first)
        #expect(field.usages.count == 1024)
        #expect(field.usages.last == HIDUsage(page: 0xFFFF, id: 0xFFFF))
    }

    @Test func descriptorsPastSixtyFourKiBAreRejected() {
        let bytes = [UInt8](repeating: 0x00, count: 65536)
        #expect(throws: HIDDescriptorError.self) { try HIDReportDescriptor(bytes: bytes) }
    }

    /// 64 KiB of garbage from several seeds: a typed error or a parse, quickly, never a trap.
    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func garbageOfSixtyFourKiB(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let bytes = (0..<65535).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        if let descriptor = try? HIDReportDescriptor(bytes: bytes) {
            #expect(descriptor.fields.count <= 1024)
        }
    }

    @Test func handBuiltFieldsAndLayoutsDoNotTrap() {
        let field = HIDReportField(kind: .input, reportID: nil, bitOffset: Int.max - 1, bitSize: Int.max, count: 2,
                                   flags: 0x02, usages: [.decodedData], application: nil)
        #expect(field.byteOffset(of: 1) == nil)
        let layout = HIDPOSReportLayout(reportID: nil, byteCountOffset: -1, symbologyOffsets: [], dataOffset: Int.max,
                                        dataCapacity: 2, continuedOffset: nil, continuedMask: 0)
        #expect(!layout.isUsable)
        var decoder = HIDPOSDecoder(layout: layout)
        #expect(decoder.feed(report: [0, 1, 2, 3], at: Timestamp(milliseconds: 0)).isEmpty)
        #expect(decoder.statistics.malformedReports == 1)
    }
}
