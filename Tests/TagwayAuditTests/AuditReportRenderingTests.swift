import Foundation
import Testing
import TagwayModel
@testable import TagwayAudit

/// The table fits 100 columns and says every category; the JSON has the documented fields.
@Suite struct AuditReportRenderingTests {
    @Test func theTableFitsAHundredColumnsAndNamesEveryCategory() {
        var records = AuditComparisonTests.records
        records.append(AuditComparisonTests.record("urn:epc:id:giai:0614141." + String(repeating: "VERY-LONG-REFERENCE-", count: 6),
                                                   "a-zone-with-a-name-much-longer-than-any-column-of-the-table-would-hold-" + String(repeating: "x", count: 40),
                                                   lastRead: 1000))
        let table = AuditComparisonTests.compare(records).table
        for line in table.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
        #expect(table.hasPrefix("Audit of list.csv at 2027-01-15 08:00 UTC, freshness 1d, log seq 77\n"))
        #expect(table.contains("Total: 5 expected, 2 found, 2 missing, 1 misplaced, 3 unexpected"))
        #expect(table.contains("it-storage: 4 expected, 2 found, 1 missing, 1 misplaced, 1 unexpected"))
        #expect(table.contains("helpdesk: 1 expected, 0 found, 1 missing, 0 misplaced, 0 unexpected, 1 expected elsewhere"))
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.contains("  missing     LAP-00043            -                              not seen"))
        #expect(lines.contains("  misplaced   LAP-00044            barcode:LAP-00044              since 2027-01-15 06:00 in helpdesk"))
        #expect(lines.contains("  elsewhere   LAP-00044            barcode:LAP-00044              belongs in it-storage"))
        #expect(lines.contains("  missing     em4100:0100E2850E    em4100:0100E2850E              seen 2027-01-12 08:00 in helpdesk"))
        #expect(lines.contains { $0.hasPrefix("  unexpected  -                    urn:epc:id:giai:0614141.VERY-…") })
    }

    @Test func theJSONHasTheDocumentedFields() throws {
        let report = AuditComparisonTests.compare(zone: "it-storage")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(object["zone"] as? String == "it-storage")
        #expect(object["source"] as? String == "list.csv")
        #expect(object["freshness"] as? String == "1d")
        #expect(object["freshnessSeconds"] as? Int == 86_400)
        #expect(object["lastSeq"] as? Int == 77)
        let totals = try #require(object["totals"] as? [String: Int])
        #expect(totals == ["expected": 4, "found": 2, "missing": 1, "misplaced": 1, "unexpected": 1])
        let zones = try #require(object["zones"] as? [[String: Any]])
        #expect(zones.count == 1)
        let zone = try #require(zones.first)
        #expect(zone["zone"] as? String == "it-storage")
        #expect((zone["totals"] as? [String: Int])?["expectedElsewhere"] == 0)
        let misplaced = try #require((zone["misplaced"] as? [[String: Any]])?.first)
        #expect(misplaced["expected"] as? String == "LAP-00044")
        #expect(misplaced["line"] as? Int == 3)
        #expect(misplaced["key"] as? String == "barcode:LAP-00044")
        #expect(misplaced["zone"] as? String == "helpdesk")
        #expect(misplaced["since"] as? String == "2027-01-15T06:00:00.000Z")
        #expect(misplaced["lastSeen"] as? String == "2027-01-15T07:50:00.000Z")
        #expect(misplaced["readPoint"] as? String == "helpdesk-1")
        let missing = try #require((zone["missing"] as? [[String: Any]])?.first)
        #expect(missing.keys.sorted() == ["expected", "line"])
        for name in ["found", "missing", "misplaced", "unexpected", "expectedElsewhere"] { #expect(zone[name] is [Any], "\(name)") }
        let all = try #require(try JSONSerialization.jsonObject(with: Data(AuditComparisonTests.compare().json.utf8)) as? [String: Any])
        #expect(all["zone"] is NSNull)
    }

    @Test func anAuditEventCarriesTheTotalsAndTheZone() {
        let report = AuditComparisonTests.compare(zone: "it-storage")
        let event = AuditEvent.make(report, gatewayID: "dock-east", id: "id-1")
        #expect(event.type == .audit)
        #expect(event.to == "it-storage")
        #expect(event.asset == AssetRef(key: "audit:it-storage", scheme: "audit", raw: "list.csv"))
        #expect(event.reason == "expected=4 found=2 missing=1 misplaced=1 unexpected=1")
        #expect(event.time == report.time)
        #expect(AuditEvent.make(AuditComparisonTests.compare(), gatewayID: "g", id: "i").to == nil)
    }

    @Test func durationsAreWrittenAsTheConfigurationWritesThem() {
        #expect(AuditDurationText.format(.seconds(86_400)) == "1d")
        #expect(AuditDurationText.format(.seconds(7_200)) == "2h")
        #expect(AuditDurationText.format(.seconds(90)) == "90s")
        #expect(AuditDurationText.format(.milliseconds(1_500)) == "1500ms")
    }
}
