import Testing
import TagwayModel
@testable import TagwayFilters

/// Reference tags in the bank: their reads are never passed on and are counted; their absence
/// past `expectEvery` is a warning decided from the time asked about, and a read clears it.
@Suite struct ReferenceTagTests {
    typealias F = TagFixtures
    static let readers: [String: UInt16] = ["door3-uhf": 0, "dock-uhf": 1]
    static let points: [String: Int32] = ["door3-in": 0, "door3-out": 1, "dock": 2]

    static func bank(_ config: FilterConfiguration, at ms: Int64 = 0, previous: TagFilterBank? = nil) -> TagFilterBank {
        TagFilterBank(config, reader: { readers[$0] ?? .max }, readPoint: { points[$0] ?? -1 }, at: F.at(ms), previous: previous)
    }

    static let uriSpec = ReferenceTagSpec(tag: .uri("urn:epc:id:giai:0614141.99"), reader: "door3-uhf", readPoint: "door3-in",
                                          expectEvery: .seconds(60))

    @Test func aURIMatchesEveryFilterValueAndItsReadsAreNeverEvents() {
        var bank = Self.bank(FilterConfiguration(referenceTags: [Self.uriSpec]))
        #expect(bank.isActive)
        var verdicts: [FilterVerdict: Int] = [:]
        for filter in 0...7 {
            let tag = F.tag("urn:epc:tag:giai-96:\(filter).0614141.99")
            verdicts[bank.judge(tag, reader: 0, readPoint: 0, time: F.at(Int64(filter) * 1_000)), default: 0] += 1
        }
        // Another asset, and the reference tag seen by another reader: still never an event there.
        verdicts[bank.judge(F.tag(F.giai), reader: 0, readPoint: 0, time: F.at(9_000)), default: 0] += 1
        verdicts[bank.judge(F.tag("urn:epc:tag:giai-96:0.0614141.99"), reader: 1, readPoint: 2, time: F.at(9_500)), default: 0] += 1
        #expect(verdicts == [.reference: 9, .pass: 1])
        #expect(bank.counts.referenceReads == 9)
        // Only the reads at its own reader and read point prove its antenna.
        #expect(bank.referenceStates.map(\.reads) == [8])
        #expect(bank.referenceStates.first?.lastSeen == F.at(7_000))
    }

    @Test func absenceIsAWarningUntilItIsReadAgain() throws {
        let hex = ReferenceTagSpec(tag: .id(F.id(F.sscc)), reader: "dock-uhf", expectEvery: .seconds(30))
        var bank = Self.bank(FilterConfiguration(referenceTags: [Self.uriSpec, hex]), at: 0)
        func warnings(at ms: Int64) -> [String] { bank.referenceStates.compactMap { $0.warning(at: F.at(ms)) } }
        // Declared at 0: none missing within their intervals, one past 30 s, both past 60 s.
        #expect(warnings(at: 30_000).isEmpty)
        #expect(warnings(at: 30_001).count == 1)
        #expect(warnings(at: 60_001).count == 2)
        let text = try #require(warnings(at: 60_001).first)
        #expect(text.contains("reference tag urn:epc:id:giai:0614141.99 not read at door3-in for 60.0s (expected every 60.0s; never read since"))
        // Read at 61 s at its read point (any read point of dock-uhf for the other): both clear.
        #expect(bank.judge(F.tag("urn:epc:tag:giai-96:1.0614141.99"), reader: 0, readPoint: 0, time: F.at(61_000)) == .reference)
        #expect(bank.judge(F.tag(F.sscc), reader: 1, readPoint: 2, time: F.at(61_000)) == .reference)
        #expect(warnings(at: 61_000).isEmpty)
        #expect(warnings(at: 91_001).count == 1)
        #expect(bank.takeReferenceStates()?.count == 2)
        #expect(bank.takeReferenceStates() == nil)
        // Read at the wrong read point: still suppressed, but does not prove door3-in.
        #expect(bank.judge(F.tag("urn:epc:tag:giai-96:1.0614141.99"), reader: 0, readPoint: 1, time: F.at(200_000)) == .reference)
        #expect(warnings(at: 200_000).count == 2)
    }

    @Test func aReloadKeepsWhatWasSeenOfAnUnchangedDeclaration() {
        let config = FilterConfiguration(referenceTags: [Self.uriSpec])
        var bank = Self.bank(config, at: 0)
        _ = bank.judge(F.tag("urn:epc:tag:giai-96:0.0614141.99"), reader: 0, readPoint: 0, time: F.at(50_000))
        let reloaded = Self.bank(config, at: 100_000, previous: bank)
        #expect(reloaded.referenceStates.first?.lastSeen == F.at(50_000))
        #expect(reloaded.referenceStates.first?.isMissing(at: F.at(110_001)) == true)
        // A changed declaration starts afresh from the reload.
        var changed = Self.uriSpec
        changed.expectEvery = .seconds(120)
        let fresh = Self.bank(FilterConfiguration(referenceTags: [changed]), at: 100_000, previous: bank)
        #expect(fresh.referenceStates.first?.lastSeen == nil)
        #expect(fresh.referenceStates.first?.isMissing(at: F.at(220_000)) == false)
    }

    @Test func tagsAreParsedOrRefused() {
        #expect((try? ReferenceTagSpec.Tag.parse("300833B2DDD9014000000001").get()) == .id(TagID(hex: "300833B2DDD9014000000001")!))
        #expect((try? ReferenceTagSpec.Tag.parse("urn:epc:id:sgtin:0614141.812345.6789").get()) != nil)
        #expect((try? ReferenceTagSpec.Tag.parse("urn:epc:id:sgtin:0614141.812345").get()) == nil)
        #expect((try? ReferenceTagSpec.Tag.parse("30083").get()) == nil)
        #expect((try? ReferenceTagSpec.Tag.parse("XYZ0").get()) == nil)
    }
}

/// The bank: a reader's filter, then its read point's; nothing configured is no step at all.
@Suite struct TagFilterBankTests {
    typealias F = TagFixtures

    @Test func readerThenReadPointFiltersWithCounts() throws {
        let config = FilterConfiguration(readers: ["door3-uhf": TagFilterSpec(rssiFloor: -70)],
                                         readPoints: ["door3-out": TagFilterSpec(exclude: [TagMatch(scheme: "sscc")])])
        var bank = ReferenceTagTests.bank(config)
        var verdicts: [FilterVerdict: Int] = [:]
        let reads: [(TagObservation, UInt16, Int32)] = [
            (F.tag(F.sscc, rssi: -60), 0, 0), (F.tag(F.sscc, rssi: -60), 0, 1), (F.tag(F.sscc, rssi: -80), 0, 1),
            (F.tag(F.giai, rssi: -80), 0, 0), (F.tag(F.giai, rssi: -80), 1, 2), (F.tag(F.sscc, rssi: -60), 1, 1),
        ]
        for (index, (tag, reader, point)) in reads.enumerated() {
            verdicts[bank.judge(tag, reader: reader, readPoint: point, time: F.at(Int64(index))), default: 0] += 1
        }
        // The reader's floor drops the -80 reads of door3-uhf; door3-out drops sscc from any reader.
        #expect(verdicts == [.pass: 2, .drop(.rssiFloor): 2, .drop(.excluded): 2])
        let counts = bank.takeCounts()
        #expect(counts[.rssiFloor] == 2)
        #expect(counts[.excluded] == 2)
        #expect(counts.totalDropped == 4)
        #expect(bank.counts.isZero)
    }

    @Test func emptyConfigurationIsInactive() {
        #expect(!TagFilterBank().isActive)
        let empty = FilterConfiguration(readers: ["door3-uhf": TagFilterSpec()], readPoints: ["dock": TagFilterSpec(minReads: MinReads(count: 1, within: .seconds(1)))])
        #expect(empty.isEmpty)
        #expect(!ReferenceTagTests.bank(empty).isActive)
    }
}
