import Testing
import TagwayCapture
import TagwayModel

/// The capture format read back exactly as written, and refused with its line when damaged.
@Suite struct CaptureFormatTests {
    let header = CaptureHeader(reader: "door3-uhf", profile: "magicrf/m100", protocolID: "magicrf-m100", transport: "serial",
                               started: Timestamp(milliseconds: 1_764_698_400_000), line: "115200 8N1")

    func text(_ records: [CaptureRecord]) -> [UInt8] {
        var out = Array(CaptureFormat.headerText(header).utf8)
        for record in records { CaptureFormat.append(record, to: &out) }
        return out
    }

    @Test func roundTripsEveryKindAndEveryByte() throws {
        let records = [
            CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_000), kind: .open),
            CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_012), kind: .tx, payload: [0xBB, 0x00, 0x22, 0x7E]),
            CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_025), kind: .rx, payload: Array(0...255)),
            CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_020), kind: .hid, payload: [0, 0, 0x1E, 0, 0, 0, 0, 0]),
            CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_030), kind: .llrp, payload: [0x04, 0x3D]),
            CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_040), kind: .close, payload: Array("unplugged".utf8)),
        ]
        let bytes = text(records)
        let capture = try CaptureParser.parse(bytes, file: "a.tcap")
        #expect(capture.header == header)
        #expect(capture.records == records)
        var size = Array(CaptureFormat.headerText(header).utf8).count
        for record in records { size += CaptureFormat.encodedSize(record) }
        #expect(size == bytes.count)
    }

    @Test func commentsAndBlankLinesAreSkippedAnywhere() throws {
        let source = "#tagway-capture 1\n# recorded at dock 3\n#reader r1\n#protocol em4100-ascii\n#transport serial\n#unknown key\n\n10 rx 02\n# later\n\r\n11 rx 03\r\n"
        let capture = try CaptureParser.parse(Array(source.utf8), file: "c.tcap")
        #expect(capture.header.reader == "r1")
        #expect(capture.records.map(\.payload) == [[0x02], [0x03]])
    }

    @Test func aCaptureWithNoRecordsStillHasAHeader() throws {
        let capture = try CaptureParser.parse(Array(CaptureFormat.headerText(header).utf8), file: "e.tcap")
        #expect(capture.header == header)
        #expect(capture.records.isEmpty)
    }

    @Test(arguments: [
        ("", 0, "empty"),
        ("GET / HTTP/1.1\n", 1, "not a Tagway capture"),
        ("#tagway-capture 9\n", 1, "version 9"),
        ("#tagway-capture 1\n#reader r\n#transport serial\n1 rx 00\n", 4, "'#protocol"),
        ("#tagway-capture 1\n#reader r\n#protocol p\n#transport serial\n1 rx 0\n", 5, "odd"),
        ("#tagway-capture 1\n#reader r\n#protocol p\n#transport serial\n1 rx zz\n", 5, "not hex"),
        ("#tagway-capture 1\n#reader r\n#protocol p\n#transport serial\nsoon rx 00\n", 5, "not a time"),
        ("#tagway-capture 1\n#reader r\n#protocol p\n#transport serial\n1 bytes 00\n", 5, "unknown record kind"),
        ("#tagway-capture 1\n#reader r\n#protocol p\n#transport serial\n1 rx 00 11\n", 5, "4 fields"),
        ("#tagway-capture 1\n#reader r\n#protocol p\n#transport serial\n1 open 00\n", 5, "'open' record"),
        ("#tagway-capture 1\n#reader r\n#protocol p\n#transport serial\n#started yesterday\n1 rx 00\n", 6, "not a time"),
    ])
    func damagedFilesAreRefusedWithTheirLine(source: String, line: Int, message: String) {
        #expect {
            _ = try CaptureParser.parse(Array(source.utf8), file: "bad.tcap")
        } throws: { error in
            guard let error = error as? CaptureError else { return false }
            return error.line == line && error.description.contains(message) && error.description.hasPrefix("bad.tcap")
        }
    }

    @Test func anOverlongLineIsRefusedBeforeItIsRead() {
        var parser = CaptureParser(file: "big.tcap")
        _ = try? parser.feed(Array("#tagway-capture 1".utf8))
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: CaptureParser.maxLineLength + 1)
        #expect(throws: CaptureError.self) { _ = try parser.feed(line) }
    }
}
