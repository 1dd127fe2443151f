import Foundation
import Testing
@testable import TagwayAudit

/// Every bad list is refused whole, with each problem's line, column, what is wrong and what to do.
@Suite struct ExpectedListRefusalTests {
    @Test func badRowsAreAllReportedWithTheirLines() {
        let refused = AuditFixtures.refusal((try? AuditFixtures.bytes("bad-rows.csv")) ?? [], source: "bad-rows.csv")
        #expect(refused.total == 4)
        #expect(refused.errors.map(\.description) == [
            "bad-rows.csv:3: zone: unknown zone 'warehouse'; use one of dock-3, helpdesk, it-storage",
            "bad-rows.csv:4: Asset Tag: LAP-1 is listed twice (lines 2 and 4); keep one row per asset",
            "bad-rows.csv:5: Asset Tag: no asset key or tag; give the asset's key or tag, or remove the row",
            "bad-rows.csv:6: zone: no zone for LAP-3; give the zone the asset should be in",
        ])
    }

    @Test func missingColumnsNameWhatTheHeaderHas() {
        let refused = AuditFixtures.refusal((try? AuditFixtures.bytes("no-columns.csv")) ?? [], source: "no-columns.csv")
        #expect(refused.errors.map(\.kind) == [.missingColumn, .missingColumn])
        #expect(refused.errors.first?.line == 1)
        #expect(refused.errors.first?.description
            == "no-columns.csv:1: no column names the asset (the header has 'Name', 'Serial', 'Model'); name a column asset_key, key, asset_tag or Asset Tag")
        let twice = AuditFixtures.refusal("Asset Tag,Location,Asset Tag\nA,HQ Storage Room 2,B\n")
        #expect(twice.errors.map(\.kind) == [.duplicateColumn])
        #expect(twice.errors.first?.description == "list.csv:1: Asset Tag: column 'Asset Tag' appears twice (columns 1 and 3); keep one column of that name")
    }

    @Test func unknownLocationsSayHowToMapThem() {
        let refused = AuditFixtures.refusal("Asset Tag,Location\nLAP-1,HQ Storage Room 2\nLAP-2,Warehouse B\n")
        #expect(refused.errors.count == 1)
        #expect(refused.errors.first?.kind == .unknownLocation)
        #expect(refused.errors.first?.description
            == "list.csv:3: Location: location 'Warehouse B' is not in audit.locations; add \"Warehouse B\": <zone> to audit.locations in the configuration, or leave its assets out of the export")
    }

    @Test func nonUTF8BytesAreLocatedAtTheFirstBadByte() throws {
        let refused = AuditFixtures.refusal(try AuditFixtures.bytes("latin1.csv"), source: "latin1.csv")
        #expect(refused.errors.map(\.kind) == [.notUTF8])
        #expect(refused.errors.first?.line == 3)
        #expect(refused.errors.first?.description == "latin1.csv:3: byte 58 (0xFC) is not UTF-8; export or save the list as UTF-8 (with or without BOM)")
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF, 0xFE, 0x41, 0x00]] {
            let error = AuditFixtures.refusal(Array("asset_tag,zone\nA,".utf8) + bad)
            #expect(error.errors.first?.kind == .notUTF8, "\(bad)")
            #expect(error.errors.first?.line == 2, "\(bad)")
        }
    }

    @Test func emptyListsAndHeaderOnlyListsAreRefused() {
        for text in ["", "\u{FEFF}", " \n\r\n", "\u{FEFF}asset_tag,zone\n", "asset_tag,zone\n,\n", "[]", "{\"assets\": []}"] {
            let refused = AuditFixtures.refusal(text)
            #expect(refused.errors.map(\.kind) == [.empty], "\(text.debugDescription)")
        }
    }

    @Test func unclosedQuotesAndTextAfterAQuoteAreLocated() throws {
        let refused = AuditFixtures.refusal(try AuditFixtures.bytes("unclosed-quote.csv"), source: "unclosed-quote.csv")
        #expect(refused.errors.map(\.description)
            == ["unclosed-quote.csv:3: a quoted field opened on line 3 is never closed; close the field with \" (a quote inside a field is written \"\")"])
        let after = AuditFixtures.refusal("asset_tag,zone\nA,helpdesk\n\"B\"x,helpdesk\n")
        #expect(after.errors.first?.kind == .malformedCSV)
        #expect(after.errors.first?.line == 3)
    }

    @Test func moreThanTwentyProblemsAreCountedNotAllListed() {
        var text = "asset_tag,zone\n"
        for index in 0..<50 { text += "A\(index),nowhere\n" }
        let refused = AuditFixtures.refusal(text)
        #expect(refused.total == 50)
        #expect(refused.errors.count == 20)
        #expect(refused.errors.last?.line == 21)
        #expect(refused.description.hasSuffix("\nand 30 more"))
    }

    @Test func badJSONIsLocated() {
        let cases: [(String, ExpectedListError.Kind, Int)] = [
            ("[{\"asset_tag\": \"A\", \"zone\": \"helpdesk\"},\n {\"asset_tag\": \"B\" \"zone\": \"helpdesk\"}]", .malformedJSON, 2),
            ("[{\"asset_tag\": \"A\", \"zone\": \"helpdesk\"},\n\n \"B\"]", .notAnObject, 3),
            ("[{\"asset_tag\": \"A\",\n \"zone\": \"warehouse\"}]", .unknownZone, 1),
            ("[{\"asset_tag\": \"A\", \"zone\": \"helpdesk\"},\n {\"asset_tag\": \"A\", \"zone\": \"dock-3\"}]", .duplicateKey, 2),
            ("[{\"name\": \"A\", \"zone\": \"helpdesk\"}]", .missingColumn, 1),
            ("[{\"asset_tag\": true, \"zone\": \"helpdesk\"}]", .emptyValue, 1),
            ("[{\"asset_tag\": \"A\", \"zone\": \"helpdesk\"}\n\n", .malformedJSON, 3),
            ("[{\"asset_tag\": \"A\\q\", \"zone\": \"helpdesk\"}]", .malformedJSON, 1),
            ("[{\"asset_tag\": \"\\ud800\", \"zone\": \"helpdesk\"}]", .malformedJSON, 1),
            ("{\"total\": 1}", .missingColumn, 1),
            ("[{\"asset_tag\": \"A\", \"zone\": \"helpdesk\"}] x", .malformedJSON, 1),
            ("[{\"x\": " + String(repeating: "[", count: 100) + "]}]", .malformedJSON, 1),
        ]
        for (text, kind, line) in cases {
            let refused = AuditFixtures.refusal(text)
            #expect(refused.errors.first?.kind == kind, "\(text): \(refused)")
            #expect(refused.errors.first?.line == line, "\(text): \(refused)")
        }
    }
}
