import Testing
import TagwayControl

/// The parser of inotify's records: names as the kernel pads them, several per read, and a short
/// buffer that ends the parse instead of reading past it.
@Suite struct InotifyRecordsTests {
    /// One record: wd, mask, cookie (4 bytes each), the name's padded length, the padded name.
    static func record(_ name: String, padTo: Int = 16) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 12)
        var padded = Array(name.utf8)
        if !padded.isEmpty { padded += [UInt8](repeating: 0, count: max(1, padTo - padded.count)) }
        let length = UInt32(padded.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        return bytes + padded
    }

    @Test func namesOfSeveralRecords() {
        let bytes = Self.record("gateway.yaml") + Self.record("events.sqlite-wal", padTo: 32) + Self.record("x")
        #expect(InotifyRecords.names(in: bytes[...]) == ["gateway.yaml", "events.sqlite-wal", "x"])
    }

    /// An event on the watched directory itself has no name (len 0): nothing to match.
    @Test func aRecordWithoutANameIsSkipped() {
        let bytes = Self.record("") + Self.record("gateway.yaml")
        #expect(InotifyRecords.names(in: bytes[...]) == ["gateway.yaml"])
    }

    @Test func aRecordRunningPastTheBufferEndsTheParse() {
        let whole = Self.record("gateway.yaml")
        let bytes = Self.record("a") + whole.prefix(whole.count - 3)
        #expect(InotifyRecords.names(in: bytes[...]) == ["a"])
        #expect(InotifyRecords.names(in: whole.prefix(10)) == [])
    }

    /// A length near UInt32.max must not overflow the index arithmetic.
    @Test func aHugeLengthIsRefused() {
        var bytes = Self.record("gateway.yaml")
        bytes.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(InotifyRecords.names(in: bytes[...]) == [])
    }

    /// A slice that does not start at index 0 (the reader passes `buffer[..<count]`, others may not).
    @Test func aSliceWithAnOffsetStart() {
        let bytes = [0xAA, 0xBB] + Self.record("gateway.yaml")
        #expect(InotifyRecords.names(in: bytes[2...]) == ["gateway.yaml"])
    }
}
