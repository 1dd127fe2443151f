import TagwayIdentity
import TagwayModel

/// The fields of a GS1 EPC binary encoding read straight from a tag id's first word (TDS §14:
/// 8-bit header, 3-bit filter, 3-bit partition, then the company prefix in M bits), so a filter
/// tests a read without decoding its identity or touching the heap.
struct EPCFields {
    /// The id's first eight bytes, byte 0 in the top byte; zero past the id's end.
    let word: UInt64
    let count: Int

    init(_ id: TagID) {
        word = id.leadingWords.0
        count = id.count
    }

    var header: UInt8 { UInt8(truncatingIfNeeded: word >> 56) }
    var filterValue: UInt8 { UInt8(truncatingIfNeeded: word >> 53) & 7 }
    var partition: Int { Int(word >> 50 & 7) }

    /// True when the header names a GS1 scheme with a filter value and a partition (all but GID).
    var hasFilterAndPartition: Bool {
        guard count >= 2, let scheme = EPCScheme(header: header) else { return false }
        return scheme.hasFilter
    }

    /// The company prefix's value when the partition gives it `digits` digits.
    func companyPrefix(partition: Int) -> UInt64 {
        let bits = CompanyPrefixBits.bits(partition: partition)
        return word >> UInt64(50 - bits) & (UInt64.max >> UInt64(64 - bits))
    }
}

/// TDS §14.5 partition tables: the company prefix takes M bits and 12 - P digits for partition P,
/// the same M in every scheme's table.
enum CompanyPrefixBits {
    static let table = [40, 37, 34, 30, 27, 24, 20]

    static func bits(partition: Int) -> Int { table[max(0, min(partition, table.count - 1))] }

    /// The partition and value of a company prefix written as 6 to 12 digits; nil otherwise.
    static func encode(_ digits: String) -> (partition: Int, value: UInt64)? {
        guard (6...12).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let value = UInt64(digits) else { return nil }
        return (12 - digits.utf8.count, value)
    }
}

/// A set of bytes as four words: which EPC headers a scheme condition accepts.
struct ByteSet: Sendable, Hashable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ bytes: [UInt8] = []) { for byte in bytes { insert(byte) } }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        let word: UInt64
        switch byte >> 6 {
        case 0: word = words.0
        case 1: word = words.1
        case 2: word = words.2
        default: word = words.3
        }
        return word >> UInt64(byte & 63) & 1 == 1
    }

    static func == (lhs: ByteSet, rhs: ByteSet) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
