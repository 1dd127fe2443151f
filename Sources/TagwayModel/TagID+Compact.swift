extension TagID {
    /// Ids up to this many bytes are held whole by the engine's compact tables: two words and a
    /// length instead of a 48-byte `TagID` with a reference-counted field. A 96-bit EPC (12 bytes)
    /// and a 128-bit one fit; longer ids are rare and the tables keep them whole on the side.
    public static let compactCapacity = 16

    /// The first 16 bytes as two words, in the order `TagID` keeps its inline words (byte 0 in the
    /// top byte of the first word), missing bytes zero. With `count`, this is the whole id when
    /// `count <= compactCapacity`.
    @inlinable @inline(__always)
    public var leadingWords: (UInt64, UInt64) {
        guard let spill else { return (w0, w1) }
        return Self.leadingWords(of: spill)
    }

    /// Out of line: only ids longer than 32 bytes take it.
    @usableFromInline @inline(never)
    static func leadingWords(of bytes: [UInt8]) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        for (index, byte) in bytes.prefix(compactCapacity).enumerated() {
            let value = UInt64(byte) << UInt64(56 - (index & 7) * 8)
            if index < 8 { words.0 |= value } else { words.1 |= value }
        }
        return words
    }

    /// The id a compact table held as `leadingWords` and `count`. A count beyond
    /// `compactCapacity` is clamped to it: such ids are never rebuilt from their leading words.
    @inlinable
    public init(leadingWords words: (UInt64, UInt64), count: Int) {
        let kept = Swift.max(0, Swift.min(count, Self.compactCapacity))
        // Bytes past `kept` must be zero, as in an id built from bytes, so equality holds.
        let mask0: UInt64 = kept >= 8 ? .max : (kept == 0 ? 0 : ~(UInt64.max >> UInt64(kept * 8)))
        let mask1: UInt64 = kept >= 16 ? .max : (kept <= 8 ? 0 : ~(UInt64.max >> UInt64((kept - 8) * 8)))
        self.init(bytes: EmptyCollection<UInt8>())
        w0 = words.0 & mask0
        w1 = words.1 & mask1
        storedCount = kept
    }
}
