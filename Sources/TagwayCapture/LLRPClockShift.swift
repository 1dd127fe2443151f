/// Moves the reader's UTC timestamps in a recorded LLRP message by a fixed amount, so a capture
/// replayed later speaks with a reader clock as close to the gateway's as it was when recorded.
/// Without it, last week's capture says its reader's clock is a week behind, and the gateway
/// (rightly) stamps its reads on arrival instead: the replay would not be the recorded run.
///
/// Only what carries the reader's UTC clock is touched: `UTCTimestamp` (TLV 128) in
/// `ReaderEventNotificationData` (TLV 246), and `FirstSeenTimestampUTC` / `LastSeenTimestampUTC`
/// (TV 2, 4) in `TagReportData` (TLV 240), in `RO_ACCESS_REPORT` (61) and
/// `READER_EVENT_NOTIFICATION` (63). Everything else is copied as is; a parameter whose length
/// cannot be right ends the walk, leaving the rest of the message untouched. Pure.
public enum LLRPClockShift {
    static let roAccessReport: UInt16 = 61
    static let readerEventNotification: UInt16 = 63
    static let utcTimestamp: UInt16 = 128
    static let tagReportData: UInt16 = 240
    static let readerEventNotificationData: UInt16 = 246
    static let firstSeenUTC: UInt8 = 2
    static let lastSeenUTC: UInt8 = 4
    /// The value length of TV parameters 0–20 (LLRP 1.0.1 and 1.1); 0: unknown, the walk stops.
    static let tvLength: [Int] = [0, 2, 8, 8, 8, 8, 1, 2, 2, 4, 2, 2, 2, 12, 2, 2, 4, 2, 4, 2, 2]

    /// `message` with its reader UTC timestamps moved by `microseconds` (saturating).
    public static func shifted(_ message: [UInt8], by microseconds: Int64) -> [UInt8] {
        guard microseconds != 0, message.count >= 10 else { return message }
        let type = UInt16(message[0] & 0x03) << 8 | UInt16(message[1])
        guard type == roAccessReport || type == readerEventNotification else { return message }
        var out = message
        walk(&out, from: 10, to: out.count, by: microseconds)
        return out
    }

    private static func walk(_ bytes: inout [UInt8], from start: Int, to end: Int, by delta: Int64) {
        var at = start
        while at < end {
            if bytes[at] & 0x80 != 0 {
                let type = bytes[at] & 0x7F
                let length = Int(type) < tvLength.count ? tvLength[Int(type)] : 0
                guard length > 0, at + 1 + length <= end else { return }
                if type == firstSeenUTC || type == lastSeenUTC { shift(&bytes, at: at + 1, by: delta) }
                at += 1 + length
                continue
            }
            guard at + 4 <= end else { return }
            let type = UInt16(bytes[at] & 0x03) << 8 | UInt16(bytes[at + 1])
            let length = Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard length >= 4, at + length <= end else { return }
            switch type {
            case utcTimestamp where length >= 12:
                shift(&bytes, at: at + 4, by: delta)
            case tagReportData, readerEventNotificationData:
                walk(&bytes, from: at + 4, to: at + length, by: delta)
            default:
                break
            }
            at += length
        }
    }

    private static func shift(_ bytes: inout [UInt8], at offset: Int, by delta: Int64) {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        let moved: UInt64
        if delta >= 0 {
            let (sum, overflow) = value.addingReportingOverflow(UInt64(delta))
            moved = overflow ? .max : sum
        } else {
            let magnitude = delta == .min ? UInt64(Int64.max) + 1 : UInt64(-delta)
            moved = value > magnitude ? value - magnitude : 0
        }
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: moved >> (8 * (7 - i))) }
    }
}
