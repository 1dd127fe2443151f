import Testing
import TagwayIdentity
import TagwayModel
import TagwayZones
@testable import TagwayFilters

/// Each kind of filter condition on the compiled filter, with counts: what it keeps and what it
/// drops, under which reason.
@Suite struct CompiledTagFilterTests {
    typealias F = TagFixtures
    static let mixed = [F.sgtin, F.sgtinOtherCompany, F.giai, F.giaiFilter5, F.sscc, F.grai].map { F.tag($0) }

    @Test func epcPrefixInHexAndInBits() throws {
        // 0x30 is the SGTIN-96 header; 0x3074 is its header, filter 3 and partition 5.
        let header = try #require(BitPrefix(hex: "30"))
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(epcPrefix: header)]), Self.mixed)
                == [.pass: 4, .drop(.excluded): 2])
        // 11 bits: the header and the filter value 3, whatever the partition.
        let headerAndFilter = try #require(BitPrefix(hex: "306", bits: 11))
        #expect(F.verdicts(TagFilterSpec(include: [TagMatch(epcPrefix: headerAndFilter)]), Self.mixed)
                == [.pass: 2, .drop(.notIncluded): 4])
        let whole = TagMatch(epcPrefix: BitPrefix(hex: F.id(F.giai).hex))
        #expect(F.verdicts(TagFilterSpec(include: [whole]), Self.mixed) == [.pass: 1, .drop(.notIncluded): 5])
        #expect(BitPrefix(hex: "3G") == nil)
        #expect(BitPrefix(hex: "30", bits: 9) == nil)
        #expect(BitPrefix(hex: String(repeating: "A", count: 33)) == nil)
    }

    @Test func schemeByHeader() {
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(scheme: "giai")]), Self.mixed) == [.pass: 4, .drop(.excluded): 2])
        #expect(F.verdicts(TagFilterSpec(include: [TagMatch(scheme: "sscc"), TagMatch(scheme: "grai")]), Self.mixed)
                == [.pass: 2, .drop(.notIncluded): 4])
        let card = TagObservation(technology: .em4100, id: TagID(bytes: [1, 2, 3, 4, 5]))
        let raw = TagObservation(technology: .epcGen2, id: TagID(bytes: [0xE2, 0x80, 0x11, 0x60]))
        #expect(F.verdicts(TagFilterSpec(include: [TagMatch(scheme: "em4100")]), Self.mixed + [card, raw])
                == [.pass: 1, .drop(.notIncluded): 7])
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(scheme: "epc-raw")]), Self.mixed + [card, raw])
                == [.pass: 7, .drop(.excluded): 1])
        // Barcode schemes never match a tag.
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(scheme: "barcode")]), Self.mixed) == [.pass: 6])
    }

    @Test func filterValue() {
        // sgtin ×2 have 3, giai 0, giaiFilter5 5, sscc 1, grai 0.
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(filterValue: 0)]), Self.mixed) == [.pass: 4, .drop(.excluded): 2])
        #expect(F.verdicts(TagFilterSpec(include: [TagMatch(filterValue: 3)]), Self.mixed) == [.pass: 2, .drop(.notIncluded): 4])
        #expect(F.verdicts(TagFilterSpec(include: [TagMatch(scheme: "giai", filterValue: 5)]), Self.mixed)
                == [.pass: 1, .drop(.notIncluded): 5])
    }

    @Test func companyPrefixFromPartitionAndBits() {
        // 0614141 in sgtin, giai ×2 and sscc; 06141410 (8 digits, another partition) in grai.
        #expect(F.verdicts(TagFilterSpec(include: [TagMatch(companyPrefix: "0614141")]), Self.mixed)
                == [.pass: 4, .drop(.notIncluded): 2])
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(companyPrefix: "06141410")]), Self.mixed) == [.pass: 5, .drop(.excluded): 1])
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(companyPrefix: "4012345")]), Self.mixed) == [.pass: 5, .drop(.excluded): 1])
    }

    @Test func keyPrefixInItsByteFormAndOnTheKey() throws {
        #expect(CompiledTagMatch.byteForm(of: "urn:epc:id:giai:0614141.") != nil)
        #expect(CompiledTagMatch.byteForm(of: "urn:epc:id:giai:") != nil)
        #expect(CompiledTagMatch.byteForm(of: "urn:epc:id:giai:0614141.12") == nil)
        #expect(CompiledTagMatch.byteForm(of: "urn:epc:id:gid:") != nil)
        #expect(CompiledTagMatch.byteForm(of: "urn:epc:id:gid:123.") == nil)
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(keyPrefix: "urn:epc:id:giai:0614141.")]), Self.mixed)
                == [.pass: 4, .drop(.excluded): 2])
        // Not a byte form: the key is parsed, and a tag read again is answered from the cache.
        let slow = TagFilterSpec(include: [TagMatch(keyPrefix: "urn:epc:id:giai:0614141.12")])
        #expect(F.verdicts(slow, Self.mixed + Self.mixed) == [.pass: 2, .drop(.notIncluded): 10])
        #expect(CompiledTagMatch(TagMatch(keyPrefix: "urn:epc:id:giai:0614141.12")).needsKey)
        #expect(!CompiledTagMatch(TagMatch(keyPrefix: "urn:epc:id:giai:0614141.")).needsKey)
    }

    @Test func patternOverTheAssetKey() throws {
        let serialsEndingIn9 = try Pattern("^urn:epc:id:sgtin:.*9$")
        #expect(F.verdicts(TagFilterSpec(exclude: [TagMatch(pattern: serialsEndingIn9)]), Self.mixed) == [.pass: 5, .drop(.excluded): 1])
        let card = TagObservation(technology: .em4100, id: TagID(bytes: [0x0A, 0x0B, 0x0C, 0x0D, 0x0E]))
        #expect(F.verdicts(TagFilterSpec(include: [TagMatch(pattern: try Pattern("^em4100:0A"))]), Self.mixed + [card])
                == [.pass: 1, .drop(.notIncluded): 6])
    }

    @Test func conditionsOfAnEntryAreAllNeeded() {
        let both = TagMatch(scheme: "sgtin", companyPrefix: "0614141")
        #expect(F.verdicts(TagFilterSpec(exclude: [both]), Self.mixed) == [.pass: 5, .drop(.excluded): 1])
    }

    @Test func rssiFloorKeepsReadsWithoutRSSI() {
        let reads = [-40, -64, -65, -66, -90].map { F.tag(F.giai, rssi: $0) } + [F.tag(F.giai, rssi: nil)]
        #expect(F.verdicts(TagFilterSpec(rssiFloor: -65), reads) == [.pass: 4, .drop(.rssiFloor): 2])
    }

    @Test func minReadsWithinAWindow() {
        var filter = CompiledTagFilter(TagFilterSpec(minReads: MinReads(count: 3, within: .seconds(1))))
        let tag = F.tag(F.giai)
        let other = F.tag(F.sscc)
        // Two reads are not enough; the third within the second is, and so is every next one.
        #expect(filter.judge(tag, time: 0) == .drop(.minReads))
        #expect(filter.judge(other, time: 100) == .drop(.minReads))
        #expect(filter.judge(tag, time: 400) == .drop(.minReads))
        #expect(filter.judge(tag, time: 1_000) == .pass)
        #expect(filter.judge(tag, time: 1_200) == .pass)
        // The other tag's reads are its own.
        #expect(filter.judge(other, time: 1_300) == .drop(.minReads))
        // After a silence longer than the window, it counts again from one.
        #expect(filter.judge(tag, time: 5_000) == .drop(.minReads))
        #expect(filter.judge(tag, time: 5_500) == .drop(.minReads))
        #expect(filter.judge(tag, time: 5_900) == .pass)
    }

    @Test func minReadsForgetsWithoutLettingThroughWhenTheTableIsFull() {
        // Far more tags than the table holds, each read twice in a row: every second read passes
        // (the first read is still in the table), whatever was forgotten before.
        var window = ReadCountWindow(MinReads(count: 2, within: .seconds(10)), capacity: 64)
        var passed = 0
        var dropped = 0
        for serial in 0..<5_000 {
            let id = TagID(bytes: [0x34, 0, 0, 0, 0, 0, 0, 0, UInt8(serial >> 16 & 0xFF), UInt8(serial >> 8 & 0xFF), UInt8(serial & 0xFF)])
            for read in 0..<2 {
                if window.record(id, technology: .epcGen2, at: Int64(serial * 2 + read)) { passed += 1 } else { dropped += 1 }
            }
        }
        #expect(passed == 5_000)
        #expect(dropped == 5_000)
    }

    @Test func scansAreJudgedByTheirKey() {
        let plain = AssetRef(key: "barcode:ABC-123", scheme: "barcode", raw: "ABC-123")
        let gs1 = AssetRef(key: "urn:epc:id:giai:0614141.12345", scheme: "giai", raw: "(8004)061414112345")
        func judge(_ spec: TagFilterSpec, _ asset: AssetRef) -> FilterVerdict { CompiledTagFilter(spec).judgeScan { asset } }
        #expect(judge(TagFilterSpec(exclude: [TagMatch(scheme: "barcode")]), plain) == .drop(.excluded))
        #expect(judge(TagFilterSpec(exclude: [TagMatch(scheme: "barcode")]), gs1) == .pass)
        #expect(judge(TagFilterSpec(include: [TagMatch(companyPrefix: "0614141")]), gs1) == .pass)
        #expect(judge(TagFilterSpec(include: [TagMatch(companyPrefix: "0614141")]), plain) == .drop(.notIncluded))
        #expect(judge(TagFilterSpec(exclude: [TagMatch(keyPrefix: "barcode:ABC")]), plain) == .drop(.excluded))
        // No EPC bits in a barcode: an epcPrefix entry never matches one; RSSI and minReads do not apply.
        #expect(judge(TagFilterSpec(exclude: [TagMatch(epcPrefix: BitPrefix(hex: "34"))]), gs1) == .pass)
        #expect(judge(TagFilterSpec(rssiFloor: -10, minReads: MinReads(count: 5, within: .seconds(1))), plain) == .pass)
    }

    /// The byte tests agree with the asset key the pipeline would make, on random GS1 EPCs of
    /// every scheme, partition and filter value (and random non-GS1 bytes).
    @Test func byteTestsAgreeWithTheKeyOnRandomTags() throws {
        var rng = SplitMix64(seed: 18)
        let prefixes = ["0614141", "061414", "4012345", "061414100000", "95012345"]
        let families = ["sgtin", "sscc", "sgln", "grai", "giai", "gsrn", "gdti", "sgcn", "gid"]
        var checked = 0
        for _ in 0..<3_000 {
            let tag = TagObservation(technology: .epcGen2, id: Self.randomEPC(using: &rng))
            let asset = AssetKeyResolver.assetRef(for: tag)
            // Documented: a tag whose header names a GS1 scheme but whose fields are no valid
            // encoding is judged by its header and bits (its key is a raw one).
            if asset.scheme == "epc-raw", EPCScheme(header: tag.id.bytes[0]) != nil { continue }
            var key = LazyAssetKey(tag: tag)
            for cp in prefixes {
                let expected = GS1CompanyPrefix.of(epcURI: asset.key) == cp
                #expect(CompiledTagMatch(TagMatch(companyPrefix: cp)).matches(tag, key: &key) == expected, "\(asset.key) \(cp)")
            }
            for family in families {
                let byScheme = CompiledTagMatch(TagMatch(scheme: family)).matches(tag, key: &key)
                let byKey = CompiledTagMatch(TagMatch(keyPrefix: "urn:epc:id:\(family):")).matches(tag, key: &key)
                #expect(byScheme == (asset.scheme == family), "\(asset.key) \(family)")
                #expect(byKey == asset.key.hasPrefix("urn:epc:id:\(family):"), "\(asset.key) \(family)")
            }
            checked += 1
        }
        #expect(checked > 2_500)
    }

    /// A valid GS1 EPC most of the time (random scheme, filter, partition and values within the
    /// partition's digits), random bytes otherwise.
    static func randomEPC(using rng: inout SplitMix64) -> TagID {
        let schemes: [(String, Int, Int)] = [("sgtin-96", 13, 6), ("sscc-96", 17, 0), ("sgln-96", 12, 4), ("grai-96", 12, 5),
                                             ("giai-96", 0, 0), ("gdti-96", 12, 4), ("sgcn-96", 12, 5)]
        if rng.next() % 8 == 0 { return TagID(bytes: (0..<12).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
        let (scheme, total, serialDigits) = schemes[Int(rng.next() % UInt64(schemes.count))]
        let cpDigits = 6 + Int(rng.next() % 7)
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(rng.next() % 10)) }) }
        let cp = digits(cpDigits)
        let filter = Int(rng.next() % 8)
        var body: String
        if scheme == "giai-96" {
            body = cp + "." + String(rng.next() % 1_000_000)
        } else {
            let reference = digits(max(0, total - cpDigits))
            body = cp + "." + reference
            if serialDigits > 0 { body += "." + String(rng.next() % 100_000) }
        }
        if scheme == "sscc-96" { body = cp + "." + digits(17 - cpDigits) }
        return TagFixtures.id("urn:epc:tag:\(scheme):\(filter).\(body)")
    }
}
