/// Reads big-endian bit fields from bytes (bit 0 is the most significant bit of byte 0), as the
/// EPC binary encodings are laid out in the Gen2 EPC bank.
struct BitReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var bitCount: Int { bytes.count * 8 }

    /// The next `count` bits (at most 64) as an unsigned integer.
    mutating func read(_ count: Int) -> UInt64 {
        precondition(count <= 64 && position + count <= bitCount)
        var value: UInt64 = 0
        var remaining = count
        while remaining > 0 {
            let byte = bytes[position >> 3]
            let offset = position & 7
            let available = 8 - offset
            let take = min(available, remaining)
            let shifted = (byte >> UInt8(available - take)) & UInt8((1 << take) - 1)
            value = value << UInt64(take) | UInt64(shifted)
            position += take
            remaining -= take
        }
        return value
    }

    /// True when every bit from the current position to `end` is zero.
    func zeros(upTo end: Int) -> Bool {
        var index = position
        while index < end {
            let byte = bytes[index >> 3]
            if (byte >> UInt8(7 - (index & 7))) & 1 != 0 { return false }
            index += 1
        }
        return true
    }

    mutating func skip(_ count: Int) { position += count }
}

/// Appends big-endian bit fields; `bytes` pads the last byte with zero bits.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var bitCount = 0

    init(capacityBits: Int = 96) { bytes.reserveCapacity((capacityBits + 7) / 8) }

    mutating func write(_ value: UInt64, bits count: Int) {
        precondition(count <= 64)
        var index = count - 1
        while index >= 0 {
            let bit = UInt8((value >> UInt64(index)) & 1)
            if bitCount & 7 == 0 { bytes.append(0) }
            if bit != 0 { bytes[bytes.count - 1] |= 1 << UInt8(7 - (bitCount & 7)) }
            bitCount += 1
            index -= 1
        }
    }

    /// Zero bits up to the next multiple of `multiple` bits (16 for Gen2 words).
    mutating func pad(toMultipleOf multiple: Int) {
        while bitCount % multiple != 0 { write(0, bits: 1) }
    }
}
