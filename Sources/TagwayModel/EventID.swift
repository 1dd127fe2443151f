/// Event ids are UUIDv7 (RFC 9562 §5.7): 48 bits of the event's millisecond time, then 74 random
/// bits. Sorted by time like `seq`, unique across gateways, and minted once when the event is
/// created, so every redelivery carries the same id and the asset store can drop duplicates.
public enum EventID {
    /// Written byte by byte into the string's own storage: the pipeline names every event, and
    /// building the text through Characters and concatenations cost more than the id's random bits.
    public static func make<R: RandomNumberGenerator>(time: Timestamp, using rng: inout R) -> String {
        let ms = UInt64(bitPattern: time.milliseconds) & 0xFFFF_FFFF_FFFF
        let randA = rng.next() & 0x0FFF
        let randB = rng.next() & 0x3FFF_FFFF_FFFF_FFFF
        let high = ms << 16 | 0x7000 | randA
        let low = 0x8000_0000_0000_0000 | randB
        return String(unsafeUninitializedCapacity: 36) { out in
            var o = 0
            for nibbleIndex in 0..<32 {
                if nibbleIndex == 8 || nibbleIndex == 12 || nibbleIndex == 16 || nibbleIndex == 20 {
                    out[o] = UInt8(ascii: "-")
                    o += 1
                }
                let word = nibbleIndex < 16 ? high : low
                let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - (nibbleIndex & 15) * 4)) & 0x0F
                out[o] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                o += 1
            }
            return o
        }
    }
}
