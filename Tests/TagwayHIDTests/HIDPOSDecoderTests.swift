import Testing
import TagwayHID
import TagwayModel

@Suite("HID POS decoder")
struct HIDPOSDecoderTests {
    private let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    private func scans(_ decoder: inout HIDPOSDecoder, _ reports: [[UInt8]]) -> [BarcodeScan] {
        var out: [BarcodeScan] = []
        for (index, report) in reports.enumerated() {
            for case .barcode(let scan) in decoder.feed(report: report, at: t0 + .milliseconds(Int64(index) * 4)) {
                out.append(scan)
            }
        }
        return out
    }

    @Test func singleReportScanCarriesTheAIMIdentifier() {
        var decoder = HIDPOSDecoder()
        let result = scans(&decoder, HIDTestData.posReports(aim: "]E0", text: "5901234123457"))
        #expect(result == [BarcodeScan(symbology: "]E0", data: Array("5901234123457".utf8))])
    }

    @Test("long scans are reassembled", arguments: [57, 112, 200, 1000])
    func reassembly(length: Int) {
        var decoder = HIDPOSDecoder()
        let text = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x41 + $0 % 26))) })
        let reports = HIDTestData.posReports(aim: "]Q1", text: text)
        #expect(reports.count == (length + 55) / 56)
        #expect(scans(&decoder, reports) == [BarcodeScan(symbology: "]Q1", data: Array(text.utf8))])
        #expect(decoder.statistics.scans == 1)
        #expect(decoder.statistics.reports == reports.count)
    }

    @Test func otherReportsAreIgnoredAndBadOnesCounted() {
        var decoder = HIDPOSDecoder()
        var tooLong = HIDTestData.posReport(aim: "]E0", data: [0x31], continued: false)
        tooLong[1] = 57
        let reports = [[0x04, 0x01], HIDTestData.posReport(aim: "]E0", data: [0x31], continued: false).prefix(20).map { $0 }, tooLong, []]
        #expect(scans(&decoder, reports).isEmpty)
        #expect(decoder.statistics.ignoredReports == 1)
        #expect(decoder.statistics.malformedReports == 3)
    }

    @Test func unfinishedContinuationTimesOut() {
        var decoder = HIDPOSDecoder(continuationTimeout: .milliseconds(500))
        let first = HIDTestData.posReports(aim: "]Q1", text: String(repeating: "x", count: 100))[0]
        #expect(scans(&decoder, [first]).isEmpty)
        #expect(decoder.nextDeadline == t0 + .milliseconds(500))
        #expect(decoder.flush(now: t0 + .milliseconds(499)).isEmpty && decoder.hasPartialScan)
        _ = decoder.flush(now: t0 + .milliseconds(500))
        #expect(!decoder.hasPartialScan)
        #expect(decoder.statistics.truncatedScans == 1)
        #expect(scans(&decoder, HIDTestData.posReports(aim: "]E0", text: "42")).map(\.text) == ["42"])
    }

    @Test func resetDropsAContinuedScan() {
        var decoder = HIDPOSDecoder()
        let reports = HIDTestData.posReports(aim: "]Q1", text: String(repeating: "y", count: 80))
        _ = scans(&decoder, [reports[0]])
        decoder.reset()
        #expect(decoder.statistics.truncatedScans == 1)
        #expect(scans(&decoder, [reports[1]]).map(\.text) == [String(repeating: "y", count: 24)])
    }

    @Test func lineEndSuffixIsStripped() {
        var decoder = HIDPOSDecoder()
        #expect(scans(&decoder, HIDTestData.posReports(aim: "]C0", text: "ABC\r\n")).map(\.text) == ["ABC"])
        var raw = HIDPOSDecoder(stripLineEnd: false)
        #expect(scans(&raw, HIDTestData.posReports(aim: "]C0", text: "ABC\r")).map(\.text) == ["ABC\r"])
    }

    @Test func zeroPaddedLayoutTrimsPadding() {
        let layout = HIDPOSReportLayout(reportID: 3, byteCountOffset: nil, symbologyOffsets: [1, 2, 3], dataOffset: 4,
                                        dataCapacity: 32, continuedOffset: 36, continuedMask: 0x01)
        var decoder = HIDPOSDecoder(layout: layout)
        var report = [UInt8](repeating: 0, count: 37)
        report[0] = 3
        report.replaceSubrange(1...3, with: Array("]d2".utf8))
        report.replaceSubrange(4..<8, with: Array("0104".utf8))
        #expect(scans(&decoder, [report]) == [BarcodeScan(symbology: "]d2", data: Array("0104".utf8))])
    }

    @Test func overlongScanIsDropped() {
        var decoder = HIDPOSDecoder(maximumScanLength: 100)
        let reports = HIDTestData.posReports(aim: "]Q1", text: String(repeating: "z", count: 150))
        #expect(scans(&decoder, reports).isEmpty)
        #expect(decoder.statistics.overlongScans == 1)
    }
}
