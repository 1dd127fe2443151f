/// A partition table (TDS §14.5 Tables 14-2 ff.): for partition value P, the company prefix takes
/// M bits and L = 12 - P digits, the reference that follows takes N bits and K digits.
struct EPCPartitionTable: Sendable {
    enum ReferenceCoding: Sendable {
        /// Zero-padded to exactly K digits (TDS §14.3.3 "Partition Table").
        case padded
        /// Integer without leading zeros, at most K digits (GIAI-96, "Unpadded Partition Table").
        case unpadded
        /// 7-bit characters, at most K of them (GIAI-202, "String Partition Table").
        case string
    }

    /// Bits after the partition field: M + N, the same for every partition.
    let totalBits: Int
    /// Digits (or, for strings, maximum characters) of company prefix + reference: L + K.
    let totalDigits: Int
    let coding: ReferenceCoding

    /// M, the company prefix bits, indexed by partition.
    static let companyPrefixBits = [40, 37, 34, 30, 27, 24, 20]

    func companyPrefixBits(_ partition: Int) -> Int { Self.companyPrefixBits[partition] }
    func companyPrefixDigits(_ partition: Int) -> Int { 12 - partition }
    func referenceBits(_ partition: Int) -> Int { totalBits - Self.companyPrefixBits[partition] }
    func referenceDigits(_ partition: Int) -> Int { totalDigits - (12 - partition) }

    /// SGTIN: indicator digit + item reference, 13 digits with the company prefix, 44 bits.
    static let sgtin = EPCPartitionTable(totalBits: 44, totalDigits: 13, coding: .padded)
    /// SSCC: extension digit + serial reference, 17 digits, 58 bits.
    static let sscc = EPCPartitionTable(totalBits: 58, totalDigits: 17, coding: .padded)
    /// GSRN and GSRNP: service reference, 17 digits, 58 bits.
    static let gsrn = EPCPartitionTable(totalBits: 58, totalDigits: 17, coding: .padded)
    /// SGLN, GDTI, SGCN: location reference / document type / coupon reference, 12 digits, 41 bits.
    static let gln = EPCPartitionTable(totalBits: 41, totalDigits: 12, coding: .padded)
    /// GRAI: asset type, 12 digits, 44 bits.
    static let grai = EPCPartitionTable(totalBits: 44, totalDigits: 12, coding: .padded)
    /// GIAI-96: numeric individual asset reference, 82 bits; L + K = 25 (K = 13...19).
    static let giai96 = EPCPartitionTable(totalBits: 82, totalDigits: 25, coding: .unpadded)
    /// GIAI-202: alphanumeric individual asset reference, 188 bits; at most 30 characters in total.
    static let giai202 = EPCPartitionTable(totalBits: 188, totalDigits: 30, coding: .string)
}
