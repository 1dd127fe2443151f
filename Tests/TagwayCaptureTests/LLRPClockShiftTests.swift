import Testing
import TagwayCapture

/// A replayed LLRP message's reader clock moved by the time since the recording, nothing else.
@Suite struct LLRPClockShiftTests {
    static func u64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * (7 - $0))) } }

    static func message(type: UInt16, _ body: [UInt8]) -> [UInt8] {
        let length = 10 + body.count
        return [UInt8(0x04 | (type >> 8)), UInt8(type & 0xFF), 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, 0, 7] + body
    }

    static func tlv(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
        let length = 4 + value.count
        return [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF)] + value
    }

    /// RO_ACCESS_REPORT: TagReportData with EPC-96, AntennaID, FirstSeen and LastSeen UTC.
    static func report(first: UInt64, last: UInt64) -> [UInt8] {
        message(type: 61, tlv(240, [0x8D] + Array(repeating: 0xAB, count: 12) + [0x81, 0, 1] + [0x82] + u64(first) + [0x84] + u64(last)))
    }

    @Test func tagTimesMoveAndNothingElse() {
        let shifted = LLRPClockShift.shifted(Self.report(first: 1_000_000, last: 2_000_000), by: 5_000_000)
        #expect(shifted == Self.report(first: 6_000_000, last: 7_000_000))
        #expect(LLRPClockShift.shifted(Self.report(first: 10, last: 20), by: -15) == Self.report(first: 0, last: 5))
    }

    @Test func theNotificationsUTCTimestampMoves() {
        let event = Self.message(type: 63, Self.tlv(246, Self.tlv(128, Self.u64(100)) + Self.tlv(256, [0, 0])))
        let expected = Self.message(type: 63, Self.tlv(246, Self.tlv(128, Self.u64(130)) + Self.tlv(256, [0, 0])))
        #expect(LLRPClockShift.shifted(event, by: 30) == expected)
    }

    @Test func otherMessagesAndDamagedOnesAreLeftAlone() {
        let keepalive = Self.message(type: 62, [])
        #expect(LLRPClockShift.shifted(keepalive, by: 99) == keepalive)
        let capabilities = Self.message(type: 11, Self.tlv(128, Self.u64(1)))
        #expect(LLRPClockShift.shifted(capabilities, by: 99) == capabilities)
        // A TagReportData claiming more than the message holds: the walk stops, nothing changes.
        var damaged = Self.report(first: 1, last: 2)
        damaged[13] = 0xFF
        #expect(LLRPClockShift.shifted(damaged, by: 99) == damaged)
        #expect(LLRPClockShift.shifted(Self.report(first: .max - 1, last: 0), by: .max) == Self.report(first: .max, last: .max / 2))
        #expect(LLRPClockShift.shifted(Self.report(first: 3, last: 0), by: .min) == Self.report(first: 0, last: 0))
    }
}
