import Foundation
import Testing
import TagwayCapture
import TagwayModel

/// The streaming reader gives exactly what the whole-file parser gives, whatever the chunking,
/// and refuses damage with the line it is on.
@Suite struct CaptureFileReaderTests {
    let header = CaptureHeader(reader: "dock", protocolID: "em4100-ascii", transport: "serial")

    func write(_ text: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "capture-reader-\(UUID().uuidString).tcap"
        try Data(text).write(to: URL(fileURLWithPath: path))
        return path
    }

    func records(_ count: Int) -> [CaptureRecord] {
        (0..<count).map { i in
            CaptureRecord(time: Timestamp(milliseconds: 1_764_698_400_000 + Int64(i)), kind: i % 7 == 0 ? .open : .rx,
                          payload: i % 7 == 0 ? [] : Array(repeating: UInt8(truncatingIfNeeded: i), count: i % 40 + 1))
        }
    }

    func readAll(_ path: String, chunkSize: Int) throws -> (CaptureHeader, [CaptureRecord]) {
        let reader = try CaptureFileReader(path: path, chunkSize: chunkSize)
        let header = try reader.readHeader()
        var out: [CaptureRecord] = []
        while let record = try reader.next() { out.append(record) }
        return (header, out)
    }

    @Test(arguments: [1, 7, 64, 1 << 16])
    func chunkingDoesNotChangeWhatIsRead(chunkSize: Int) throws {
        let expected = records(300)
        var text = Array(CaptureFormat.headerText(header).utf8)
        text += Array("# a comment between records\n".utf8)
        for record in expected { CaptureFormat.append(record, to: &text) }
        text.removeLast()  // the last line without its newline
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (read, got) = try readAll(path, chunkSize: chunkSize)
        #expect(read == header)
        #expect(got == expected)
        #expect(got == (try CaptureParser.parse(text, file: path)).records)
    }

    @Test func aDamagedRecordIsRefusedWithItsLine() throws {
        var text = Array(CaptureFormat.headerText(header).utf8)
        for record in records(5) { CaptureFormat.append(record, to: &text) }
        text += Array("1764698400005 rx 0g\n".utf8)
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CaptureFileReader(path: path, chunkSize: 16)
        var read = 0
        let error = #expect(throws: CaptureError.self) {
            while try reader.next() != nil { read += 1 }
        }
        #expect(read == 5)
        #expect(error?.line == 10)  // 4 header lines, 5 records, then the damaged one
        #expect(error?.message.contains("not hex") == true)
    }

    @Test func aLineLongerThanAnyRecordIsRefusedWithoutReadingItWhole() throws {
        var text = Array(CaptureFormat.headerText(header).utf8)
        text += Array("1 rx ".utf8) + Array(repeating: UInt8(ascii: "a"), count: CaptureParser.maxLineLength + 10)
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CaptureFileReader(path: path, chunkSize: 1 << 16)
        let error = #expect(throws: CaptureError.self) { _ = try reader.next() }
        #expect(error?.line == 5)
        #expect(error?.message.contains("longer than any record") == true)
    }

    @Test func aMissingFileSaysSo() {
        let error = #expect(throws: CaptureError.self) { _ = try CaptureFileReader(path: "/nonexistent/x.tcap") }
        #expect(error?.message.contains("cannot open") == true)
    }

    @Test func theDigestFollowsTheContent() throws {
        let a = try write(Array("#tagway-capture 1\n1 rx 00\n".utf8))
        let b = try write(Array("#tagway-capture 1\n1 rx 01\n".utf8))
        defer {
            try? FileManager.default.removeItem(atPath: a)
            try? FileManager.default.removeItem(atPath: b)
        }
        var (da, da2, db) = (CaptureFileReader.digestBasis, CaptureFileReader.digestBasis, CaptureFileReader.digestBasis)
        try CaptureFileReader.contentDigest(path: a, into: &da)
        try CaptureFileReader.contentDigest(path: a, into: &da2)
        try CaptureFileReader.contentDigest(path: b, into: &db)
        #expect(da == da2)
        #expect(da != db)
    }
}
