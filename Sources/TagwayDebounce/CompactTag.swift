import TagwayModel

/// A tag id as the engine's tables hold it: its first 16 bytes as two words and its length, 17
/// bytes with no reference-counted field, instead of a 48-byte `TagID`. It is the whole id up to
/// `TagID.compactCapacity` bytes; a longer id (rare) is kept whole in a `LongTagStore` beside the
/// table, under the entry's index.
public struct CompactTag: Hashable, Sendable {
    public var k0: UInt64
    public var k1: UInt64
    /// The id's length in bytes, saturated at 255.
    public var length: UInt8

    public static let empty = CompactTag(k0: 0, k1: 0, length: 0)

    @inlinable @inline(__always)
    public init(k0: UInt64, k1: UInt64, length: UInt8) {
        self.k0 = k0
        self.k1 = k1
        self.length = length
    }

    @inlinable @inline(__always)
    public init(_ tag: borrowing TagID) {
        (k0, k1) = tag.leadingWords
        length = UInt8(clamping: tag.count)
    }

    /// Longer than `TagID.compactCapacity`: the words are only a prefix, the store has the id.
    @inlinable @inline(__always)
    public var isLong: Bool { Int(length) > TagID.compactCapacity }
}

/// The ids longer than `TagID.compactCapacity` of a table of `CompactTag`s, by entry index.
/// Allocates only when such an id is present: 96- and 128-bit EPCs never come here. Inlinable,
/// so the asset table (another module) compares short ids without a call or generic code.
public struct LongTagStore: Sendable {
    @usableFromInline var whole: [Int32: TagID] = [:]

    public init() {}

    /// Keeps `tag` for entry `index` when it is long; a short id needs nothing.
    @inlinable
    public mutating func keep(_ tag: borrowing TagID, at index: Int32) {
        if tag.count > TagID.compactCapacity { whole[index] = copy tag }
    }

    @inlinable
    public mutating func drop(at index: Int32) { if !whole.isEmpty { whole[index] = nil } }

    /// The id entry `index` holds as `compact`.
    @inlinable
    public func tag(_ compact: CompactTag, at index: Int32) -> TagID {
        if compact.isLong, let tag = whole[index] { return tag }
        return TagID(leadingWords: (compact.k0, compact.k1), count: Int(compact.length))
    }

    /// Whether the long id kept for entry `index` is `tag` (the caller compared the words and
    /// length already).
    @inlinable @inline(__always)
    public func keepsWhole(_ tag: borrowing TagID, at index: Int32) -> Bool {
        guard let stored = whole[index] else { return false }
        return stored == tag
    }

    /// Whether entry `index`, holding `compact`, holds `tag` (whose compact form is `key`): the
    /// words and length decide for short ids, the whole id for long ones.
    @inlinable @inline(__always)
    public func holds(_ compact: CompactTag, at index: Int32, _ key: CompactTag, _ tag: borrowing TagID) -> Bool {
        guard compact == key else { return false }
        return !key.isLong || keepsWhole(tag, at: index)
    }
}
