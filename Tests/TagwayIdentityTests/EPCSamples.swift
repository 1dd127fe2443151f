import TagwayModel
@testable import TagwayIdentity

/// Generated EPC inputs for the differential tests: valid encodings of every scheme, partition and
/// filter, and invalid ones made by one known mutation each.
enum EPCSamples {
    enum Mutation: String, CaseIterable {
        case partition7, prefixOverflow, referenceOverflow, reservedNonZero, truncated, extended, oddLength, nonHex,
             unknownHeader, invalidCharacter, dataAfterTerminator, emptyString, numericMarker, nonZeroPadding
    }

    struct Sample {
        var hex: String
        /// The EPC it encodes, for valid samples.
        var epc: EPC?
        var mutation: Mutation?
    }

    static let set82 = Array("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)

    static func digits(_ count: Int, _ rng: inout SeededGenerator) -> String {
        String((0..<count).map { _ in Character(Unicode.Scalar(UInt8.random(in: 48...57, using: &rng))) })
    }

    static func characters(_ range: ClosedRange<Int>, _ rng: inout SeededGenerator) -> [UInt8] {
        (0..<Int.random(in: range, using: &rng)).map { _ in set82.randomElement(using: &rng)! }
    }

    /// An integer below 2^bits with a spread of magnitudes, including 0 and the maximum.
    static func integer(bits: Int, _ rng: inout SeededGenerator) -> UInt64 {
        let max: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return 0
        case 1: return max
        default:
            let width = Int.random(in: 1...bits, using: &rng)
            return UInt64.random(in: 0...((1 << UInt64(width)) - 1), using: &rng)
        }
    }

    static func randomEPC(_ scheme: EPCScheme, partition: Int, filter: Int, _ rng: inout SeededGenerator) -> EPC {
        if scheme == .gid96 {
            return EPC(scheme: .gid96, filter: nil, partition: nil, companyPrefix: String(integer(bits: 28, &rng)),
                       reference: String(integer(bits: 24, &rng)), serial: String(integer(bits: 36, &rng)))
        }
        let table = scheme.partitionTable
        let prefix = digits(12 - partition, &rng)
        let reference: String
        switch table.coding {
        case .padded: reference = digits(table.referenceDigits(partition), &rng)
        case .unpadded: reference = String(integer(bits: table.referenceBits(partition), &rng))
        case .string: reference = GS1CharacterSet82.escape(characters(1...table.referenceDigits(partition), &rng))
        }
        let serial: String?
        switch scheme.serialCoding {
        case let .integer(bits): serial = String(integer(bits: bits, &rng))
        case let .string(_, maxCharacters): serial = GS1CharacterSet82.escape(characters(1...maxCharacters, &rng))
        case let .numericString(_, maxDigits): serial = digits(Int.random(in: 1...maxDigits, using: &rng), &rng)
        case .reserved, .none: serial = nil
        }
        return EPC(scheme: scheme, filter: filter, partition: partition, companyPrefix: prefix, reference: reference,
                   serial: serial)
    }

    static func set(_ bytes: inout [UInt8], at offset: Int, width: Int, to value: UInt64) {
        for index in 0..<width {
            let bit = (value >> UInt64(width - 1 - index)) & 1
            let position = offset + index
            let mask = UInt8(0x80) >> UInt8(position & 7)
            if bit == 1 { bytes[position >> 3] |= mask } else { bytes[position >> 3] &= ~mask }
        }
    }

    /// Applies `mutation` to a valid encoding; nil when it does not apply to this scheme/partition.
    static func mutate(_ epc: EPC, _ mutation: Mutation, _ rng: inout SeededGenerator) -> String? {
        var bytes = try! EPCBinaryEncoder.encode(epc)
        let scheme = epc.scheme
        let partition = epc.partition ?? 0
        let table = scheme.partitionTable
        let prefixBits = table.companyPrefixBits(partition)
        let referenceStart = 14 + prefixBits
        let referenceBits = table.referenceBits(partition)
        let serialStart = 14 + table.totalBits
        let isGID = scheme == .gid96
        switch mutation {
        case .partition7:
            guard !isGID else { return nil }
            set(&bytes, at: 11, width: 3, to: 7)
        case .prefixOverflow:
            guard !isGID else { return nil }
            set(&bytes, at: 14, width: prefixBits, to: (1 << UInt64(prefixBits)) - 1)
        case .referenceOverflow:
            guard !isGID, table.coding == .padded else { return nil }
            let digits = table.referenceDigits(partition)
            guard (UInt64(1) << UInt64(referenceBits)) > Decimal64.powersOfTen[digits] else { return nil }
            set(&bytes, at: referenceStart, width: referenceBits, to: (1 << UInt64(referenceBits)) - 1)
        case .reservedNonZero:
            guard case .reserved = scheme.serialCoding else { return nil }
            set(&bytes, at: serialStart + Int.random(in: 0..<24, using: &rng), width: 1, to: 1)
        case .truncated:
            bytes.removeLast(2)
        case .extended:
            bytes.append(contentsOf: [0, 0])
        case .oddLength:
            return String(HexCoding.encode(bytes).dropLast())
        case .nonHex:
            var hex = Array(HexCoding.encode(bytes))
            hex[Int.random(in: 0..<hex.count, using: &rng)] = ["G", "z", "-", " ", "é"].randomElement(using: &rng)!
            return String(hex)
        case .unknownHeader:
            var header: UInt8
            // Neither ours nor epcpy's: epcpy also decodes USDOD (2F), ADI (3B), CPI (3C, 3D), ITIP (40, 41),
            // which are outside this library's schemes.
            repeat { header = UInt8.random(in: 0...255, using: &rng) }
            while EPCScheme(header: header) != nil || [0x2F, 0x3A, 0x3B, 0x3C, 0x3D, 0x40, 0x41].contains(header)
            bytes[0] = header
        case .invalidCharacter, .dataAfterTerminator, .emptyString:
            guard let (start, bits, count) = stringField(epc) else { return nil }
            switch mutation {
            case .invalidCharacter:
                let bad: UInt8 = [0x23, 0x20, 0x7F, 0x01, 0x24, 0x40, 0x5C, 0x7E].randomElement(using: &rng)!
                set(&bytes, at: start + 7 * Int.random(in: 0..<count, using: &rng), width: 7, to: UInt64(bad))
            case .dataAfterTerminator:
                guard (count + 2) * 7 <= bits else { return nil }
                set(&bytes, at: start + 7 * count, width: 7, to: 0)
                set(&bytes, at: start + 7 * (count + 1), width: 7, to: UInt64(UInt8(ascii: "A")))
            default:
                set(&bytes, at: start, width: bits, to: 0)
            }
        case .numericMarker:
            guard scheme == .sgcn96 else { return nil }
            let value: UInt64 = Bool.random(using: &rng) ? 0 : UInt64.random(in: 2_000_000_000_000...2_199_023_255_551, using: &rng)
            set(&bytes, at: serialStart, width: 41, to: value)
        case .nonZeroPadding:
            guard scheme.storedBitLength > scheme.bitLength else { return nil }
            set(&bytes, at: Int.random(in: scheme.bitLength..<scheme.storedBitLength, using: &rng), width: 1, to: 1)
        }
        return HexCoding.encode(bytes)
    }

    /// Start bit, width and character count of the 7-bit string field of a string scheme.
    static func stringField(_ epc: EPC) -> (start: Int, bits: Int, count: Int)? {
        let table = epc.scheme.partitionTable
        let partition = epc.partition ?? 0
        if epc.scheme == .giai202 {
            let raw = try! GS1CharacterSet82.unescape(Substring(epc.reference), scheme: "", field: "")
            return (14 + table.companyPrefixBits(partition), table.referenceBits(partition), raw.count)
        }
        guard case let .string(bits, _) = epc.scheme.serialCoding, let serial = epc.serial else { return nil }
        let raw = try! GS1CharacterSet82.unescape(Substring(serial), scheme: "", field: "")
        return (14 + table.totalBits, bits, raw.count)
    }

    /// Two valid samples of every scheme × partition × filter (GID: 40), then every applicable
    /// mutation of one valid sample per scheme × partition, twice.
    static func generate(seed: UInt64) -> (valid: [Sample], invalid: [Sample]) {
        var rng = SeededGenerator(seed: seed)
        var valid = [Sample]()
        for _ in 0..<2 {
            for scheme in EPCScheme.allCases {
                if scheme == .gid96 {
                    for _ in 0..<20 {
                        let epc = randomEPC(scheme, partition: 0, filter: 0, &rng)
                        valid.append(Sample(hex: try! epc.hex, epc: epc))
                    }
                    continue
                }
                for partition in 0...6 {
                    for filter in 0...7 {
                        let epc = randomEPC(scheme, partition: partition, filter: filter, &rng)
                        valid.append(Sample(hex: try! epc.hex, epc: epc))
                    }
                }
            }
        }
        var invalid = [Sample]()
        for _ in 0..<2 {
            for scheme in EPCScheme.allCases {
                for partition in (scheme == .gid96 ? 0...0 : 0...6) {
                    let epc = randomEPC(scheme, partition: partition, filter: Int.random(in: 0...7, using: &rng), &rng)
                    for mutation in Mutation.allCases {
                        if let hex = mutate(epc, mutation, &rng) { invalid.append(Sample(hex: hex, epc: epc, mutation: mutation)) }
                    }
                }
            }
        }
        return (valid, invalid)
    }
}
