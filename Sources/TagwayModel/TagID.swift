/// The raw identity a reader reported: an EPC, an EM4100 card number, an NFC UID.
///
/// Kept as a value with up to 32 bytes inline so the debouncer's hot path (millions of reads a
/// second) hashes and compares tags without touching the heap. Longer ids (EPC memory can hold
/// up to 496 bits) spill into an array; they are rare and still correct.
public struct TagID: Hashable, Sendable, Comparable, CustomStringConvertible {
    @usableFromInline var w0: UInt64 = 0
    @usableFromInline var w1: UInt64 = 0
    @usableFromInline var w2: UInt64 = 0
    @usableFromInline var w3: UInt64 = 0
    @usableFromInline var spill: [UInt8]? = nil
    @usableFromInline var storedCount: Int = 0

    /// Bytes in the id.
    @inlinable public var count: Int { storedCount }

    public static let inlineCapacity = 32

    /// Inlinable: decoders in other modules build one per read, and the call must not stay opaque.
    @inlinable
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        storedCount = bytes.count
        if storedCount > Self.inlineCapacity {
            spill = Array(bytes)
            return
        }
        var index = 0
        for byte in bytes {
            let word = index >> 3
            let shift = UInt64(56 - (index & 7) * 8)
            let value = UInt64(byte) << shift
            switch word {
            case 0: w0 |= value
            case 1: w1 |= value
            case 2: w2 |= value
            default: w3 |= value
            }
            index += 1
        }
    }

    /// A tag id from its hexadecimal text; nil when the text is not whole bytes of hex.
    public init?(hex: some StringProtocol) {
        guard let bytes = HexCoding.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] {
        if let spill { return spill }
        var out = [UInt8]()
        out.reserveCapacity(count)
        for index in 0..<count {
            let word: UInt64
            switch index >> 3 {
            case 0: word = w0
            case 1: word = w1
            case 2: word = w2
            default: word = w3
            }
            out.append(UInt8(truncatingIfNeeded: word >> UInt64(56 - (index & 7) * 8)))
        }
        return out
    }

    /// The id's bytes without building an array: each word holds 8 bytes in order from its top
    /// byte, so the words in big-endian order are the bytes. The log binds every asset row's tag
    /// this way.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let spill { return try spill.withUnsafeBytes(body) }
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        let count = storedCount
        return try Swift.withUnsafeBytes(of: &words) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
    }

    /// Upper-case hex, the form readers print and asset stores store.
    public var hex: String { HexCoding.encode(bytes) }

    public var description: String { hex }

    /// Written out so the common case (both ids inline) is five word compares the optimiser can
    /// inline into the debouncer's lookup, instead of a generic comparison of the spill array.
    @inlinable
    public static func == (lhs: TagID, rhs: TagID) -> Bool {
        guard lhs.w0 == rhs.w0, lhs.w1 == rhs.w1, lhs.w2 == rhs.w2, lhs.w3 == rhs.w3,
              lhs.storedCount == rhs.storedCount else { return false }
        if lhs.spill == nil && rhs.spill == nil { return true }
        return lhs.spill == rhs.spill
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedCount)
        if let spill { hasher.combine(spill) } else {
            hasher.combine(w0)
            hasher.combine(w1)
            hasher.combine(w2)
            hasher.combine(w3)
        }
    }

    public static func < (lhs: TagID, rhs: TagID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// Hex text <-> bytes, shared by decoders, identity parsing and the CLI.
public enum HexCoding {
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of `text`, or nil when it has odd length or a non-hex character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// The value of one ASCII hex digit, either case.
    @inlinable
    public static func nibble(_ ascii: UInt8) -> UInt8? {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ascii - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ascii - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

extension TagID {
    /// A fast seeded 64-bit hash for the fixed-capacity tables on the hot path (the debouncer
    /// looks up a tag for each of millions of reads a second; SipHash through `Hasher` was a fifth
    /// of its time). Not cryptographic: tables seed it per process, so crafted EPCs cannot aim at
    /// one bucket without knowing the seed.
    @inlinable
    public func hash64(seed: UInt64) -> UInt64 {
        @inline(__always) func mix(_ x: UInt64) -> UInt64 {
            var z = x &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 31)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 29)
        }
        var h = mix(seed ^ UInt64(truncatingIfNeeded: count))
        if let spill {
            for byte in spill { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return mix(h)
        }
        h = mix(h ^ w0)
        if count > 8 { h = mix(h ^ w1) }
        if count > 16 { h = mix(h ^ w2 ^ (w3 &* 0x9E37_79B9_7F4A_7C15)) }
        return h
    }
}
