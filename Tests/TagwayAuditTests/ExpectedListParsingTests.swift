import Foundation
import Testing
@testable import TagwayAudit

/// Good lists: Snipe-IT's export layout, hand-made CSV with `;`, JSON arrays and Snipe-IT's API
/// answer, each row located by the physical line it starts on.
@Suite struct ExpectedListParsingTests {
    @Test func snipeITCustomReportWithBOMQuotedCommasAndAMultiLineNote() throws {
        let list = try ExpectedAssetList.parse(try AuditFixtures.bytes("snipeit-custom-report.csv"), source: "snipeit-custom-report.csv",
                                               settings: AuditFixtures.settings)
        #expect(list.format == .csv)
        #expect(list.entries == [
            ExpectedAsset(tag: "LAP-00042", zone: "it-storage", line: 2),
            ExpectedAsset(tag: "LAP-00043", zone: "it-storage", line: 3),
            // The note of LAP-00043 spans lines 3 and 4.
            ExpectedAsset(tag: "LAP-00044", zone: "helpdesk", line: 5),
            ExpectedAsset(tag: "MON-00007", zone: "helpdesk", line: 6),
            ExpectedAsset(tag: "LAP-00045", zone: "it-storage", line: 7),
            // Snipe-IT's formula escape (a backtick before a leading -) is removed.
            ExpectedAsset(tag: "-DOCK-9", zone: "it-storage", line: 8),
        ])
    }

    @Test func semicolonSeparatorCRLFAliasesQuotedSeparatorsAndPadding() throws {
        let list = try ExpectedAssetList.parse(try AuditFixtures.bytes("zones-semicolon.csv"), source: "zones.csv",
                                               settings: AuditFixtures.settings)
        #expect(list.entries == [
            ExpectedAsset(tag: "urn:epc:id:giai:0614141.LAP-00042", zone: "it-storage", line: 2),
            ExpectedAsset(tag: "barcode:MON;00007", zone: "it-storage", line: 3),
            ExpectedAsset(tag: "em4100:0100E2850E", zone: "helpdesk", line: 5),
        ])
    }

    @Test func headerNamesAreMatchedWithoutCaseSpacesOrHyphens() throws {
        for header in ["asset_key,zone", "Key,Expected Zone", "ASSET-TAG,expected_zone", "Asset Tag,zone", "asset tag,Location"] {
            let place = header.hasSuffix("Location") ? "HQ Storage Room 2" : "it-storage"
            let list = try AuditFixtures.parse("\(header)\nLAP-1,\(place)\n")
            #expect(list.entries == [ExpectedAsset(tag: "LAP-1", zone: "it-storage", line: 2)], "\(header)")
        }
        // A zone column wins over a location column; a key column over an asset tag column.
        let both = try AuditFixtures.parse("Asset Tag,key,Location,zone\nLAP-1,barcode:LAP-1,Nowhere,helpdesk\n")
        #expect(both.entries == [ExpectedAsset(tag: "barcode:LAP-1", zone: "helpdesk", line: 2)])
    }

    @Test func jsonArraysSnipeITRowsAndLocatedEntries() throws {
        let snipe = try ExpectedAssetList.parse(try AuditFixtures.bytes("expected.json"), source: "expected.json",
                                                settings: AuditFixtures.settings)
        #expect(snipe.format == .json)
        #expect(snipe.entries == [
            ExpectedAsset(tag: "LAP-00042", zone: "it-storage", line: 4),
            ExpectedAsset(tag: "LAP-00043", zone: "it-storage", line: 6),
            ExpectedAsset(tag: "em4100:0100E2850E", zone: "helpdesk", line: 7),
        ])
        let array = try AuditFixtures.parse("""
            [{"asset_key": "urn:epc:id:giai:0614141.A\\u00e9\\ud83d\\ude00", "zone": "dock-3"},
             {"Asset Tag": 42, "expected_zone": "room-2.14", "extra": [1, 2, {"x": true}]}]
            """)
        #expect(array.entries == [
            ExpectedAsset(tag: "urn:epc:id:giai:0614141.Aé😀", zone: "dock-3", line: 1),
            ExpectedAsset(tag: "42", zone: "it-storage", line: 2),
        ])
        let wrapped = try AuditFixtures.parse("{\"assets\": [{\"key\": \"k\", \"zone\": \"helpdesk\"}]}")
        #expect(wrapped.entries == [ExpectedAsset(tag: "k", zone: "helpdesk", line: 1)])
    }

    @Test func aOneMillionRowListIsAcceptedAndOneMoreRowIsRefused() throws {
        var text = "asset_tag,zone\n"
        text.reserveCapacity(30 * 1_000_001)
        for index in 0..<1_000_000 { text += "T\(index),\(index & 1 == 0 ? "it-storage" : "helpdesk")\n" }
        var bytes = Array(text.utf8)
        text = ""
        let list = try ExpectedAssetList.parse(bytes, source: "big.csv", settings: AuditFixtures.settings)
        #expect(list.entries.count == 1_000_000)
        #expect(list.entries.last == ExpectedAsset(tag: "T999999", zone: "helpdesk", line: 1_000_001))

        bytes.append(contentsOf: Array("T-one-more,dock-3\n".utf8))
        let refused = AuditFixtures.refusal(bytes, source: "big.csv")
        #expect(refused.errors.map(\.kind) == [.tooManyRows])
        #expect(refused.errors.first?.line == 1_000_002)
        #expect(refused.description == "big.csv:1000002: more than 1000000 rows; split the list (by location or zone) into lists of at most 1000000 rows")
    }
}
