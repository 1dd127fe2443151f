import Testing
import TagwayModel
@testable import TagwayAudit

/// The CSV report (the console's download): one row per asset and category, every category,
/// RFC 4180 quoting, and no cell a spreadsheet would run as a formula.
@Suite struct AuditReportCSVTests {
    @Test func oneRowPerAssetAndCategoryWithTheHeaderFirst() {
        let csv = AuditComparisonTests.compare(zone: "it-storage").csv
        #expect(csv.hasSuffix("\r\n"))
        let rows = csv.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(rows.first == "zone,category,expected,line,key,current_zone,expected_zone,since,last_seen,read_point")
        #expect(rows.dropFirst() == [
            "it-storage,found,DUP-1,6,barcode:DUP-1,it-storage,,2027-01-15T03:00:00.000Z,2027-01-15T07:58:00.000Z,it-storage-1",
            "it-storage,found,LAP-00042,2,urn:epc:id:giai:0614141.LAP-00042,it-storage,,2027-01-15T03:00:00.000Z,2027-01-15T07:00:00.000Z,it-storage-1",
            "it-storage,missing,LAP-00043,5,,,,,,",
            "it-storage,misplaced,LAP-00044,3,barcode:LAP-00044,helpdesk,,2027-01-15T06:00:00.000Z,2027-01-15T07:50:00.000Z,helpdesk-1",
            "it-storage,unexpected,,,barcode:XYZ,it-storage,,2027-01-15T03:00:00.000Z,2027-01-15T07:55:00.000Z,it-storage-1",
        ])
    }

    @Test func everyZoneAndTheExpectedElsewhereRowsAreThere() {
        let csv = AuditComparisonTests.compare().csv
        let rows = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == 1 + 8)
        #expect(rows.contains { $0[0] == "helpdesk" && $0[1] == "expectedElsewhere" && $0[2] == "LAP-00044" && $0[6] == "it-storage" })
        let totals = AuditComparisonTests.compare().totals
        #expect(rows.filter { $0[1] == "found" }.count == totals.found)
        #expect(rows.filter { $0[1] == "missing" }.count == totals.missing)
        #expect(rows.filter { $0[1] == "misplaced" }.count == totals.misplaced)
        #expect(rows.filter { $0[1] == "unexpected" }.count == totals.unexpected)
    }

    @Test func cellsAreQuotedAsRFC4180AndFormulasAreDefused() {
        #expect(AuditReport.csvCell("plain") == "plain")
        #expect(AuditReport.csvCell("Room 2, 1st floor") == "\"Room 2, 1st floor\"")
        #expect(AuditReport.csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AuditReport.csvCell("two\nlines") == "\"two\nlines\"")
        #expect(AuditReport.csvCell("a;b") == "\"a;b\"")
        #expect(AuditReport.csvCell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(AuditReport.csvCell("+1") == "'+1")
        #expect(AuditReport.csvCell("-2") == "'-2")
        #expect(AuditReport.csvCell("@SUM(A1)") == "'@SUM(A1)")
        #expect(AuditReport.csvCell("") == "")
    }
}
