/// Event ids are UUIDv7 (RFC 9562): 48 bits of the event's millisecond time, then random bits.
/// Sorted by time like `seq`, unique across gateways, and minted once when the event is created,
/// so every redelivery carries the same id and the asset store can drop duplicates.
public enum EventID {
    public static func make<R: RandomNumberGenerator>(time: Timestamp, using rng: inout R) -> String {
        let ms = UInt64(bitPattern: time.milliseconds) & 0xFFFF_FFFF_FFFF
        let randA = rng.next() & 0x0FFF
        let randB = rng.next() & 0x3FFF_FFFF_FFFF_FFFF
        let high = ms << 16 | 0x7000 | randA
        let low = 0x8000_0000_0000_0000 | randB
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        let hex = HexCoding.encode(bytes).lowercased()
        let u = Array(hex)
        return String(u[0..<8]) + "-" + String(u[8..<12]) + "-" + String(u[12..<16]) + "-" + String(u[16..<20]) + "-" + String(u[20..<32])
    }
}
