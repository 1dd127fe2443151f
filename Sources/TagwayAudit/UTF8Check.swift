/// Finds the first byte that is not well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), with its line, before anything is parsed: a list saved as
/// Latin-1 or UTF-16 is refused at its first bad byte instead of producing mangled asset tags.
enum UTF8Check {
    struct Failure: Equatable {
        var offset: Int
        var line: Int
    }

    /// Nil when `bytes` are UTF-8.
    static func firstBadByte(_ bytes: UnsafeRawBufferPointer) -> Failure? {
        var index = 0
        var line = 1
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead == 0x0A { line += 1 }
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return Failure(offset: index, line: line)
            }
            guard index + length <= count else { return Failure(offset: index, line: line) }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return Failure(offset: index, line: line) }
            for next in (index + 2)..<(index + length) where bytes[next] & 0xC0 != 0x80 {
                return Failure(offset: index, line: line)
            }
            index += length
        }
        return nil
    }
}
