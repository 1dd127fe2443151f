extension KeyOutput: ExpressibleByUnicodeScalarLiteral {
    /// `"a"` in a layout table is the plain character `a`; dead keys are spelled `.dead("^")`.
    public init(unicodeScalarLiteral value: Unicode.Scalar) {
        self = .character(value)
    }
}

/// Writes layout tables the way keyboard charts are read: rows of keys with their plain and
/// shifted characters, then the AltGr characters and dead keys a layout adds.
struct KeymapBuilder {
    let name: String
    var keypadDecimal: Unicode.Scalar = "."
    private(set) var entries: [UInt8: KeymapEntry] = [:]

    init(name: String) { self.name = name }

    var keymap: Keymap { Keymap(name: name, keypadDecimal: keypadDecimal, entries: entries) }

    /// Sets one key. `alphabetic` defaults to "the plain level is a letter whose shifted level is
    /// its capital", which is where Caps Lock applies.
    mutating func key(
        _ usage: UInt8, _ plain: KeyOutput?, _ shifted: KeyOutput?,
        altGr: KeyOutput? = nil, shiftAltGr: KeyOutput? = nil, alphabetic: Bool? = nil
    ) {
        let isLetter = alphabetic ?? Self.isCasePair(plain, shifted)
        entries[usage] = KeymapEntry(levels: [plain, shifted, altGr, shiftAltGr], alphabetic: isLetter)
    }

    /// Keeps a key's plain and shifted levels and adds an AltGr level.
    mutating func altGr(_ usage: UInt8, _ output: KeyOutput, shifted: KeyOutput? = nil) {
        var entry = entries[usage] ?? KeymapEntry(levels: [], alphabetic: false)
        entry.levels[2] = output
        if let shifted { entry.levels[3] = shifted }
        entries[usage] = entry
    }

    /// Consecutive usages from `first`, one key per character pair of `plain` and `shifted`.
    mutating func row(from first: UInt8, plain: String, shifted: String) {
        let lower = Array(plain.unicodeScalars)
        let upper = Array(shifted.unicodeScalars)
        precondition(lower.count == upper.count, "row \(plain) / \(shifted) of \(name) is uneven")
        for (index, pair) in zip(lower, upper).enumerated() {
            key(first + UInt8(index), .character(pair.0), .character(pair.1))
        }
    }

    /// The 26 letter keys (usages 0x04-0x1D, named after the US letter on the key) typing
    /// `letters` in that order, each with its capital.
    mutating func letters(_ letters: String) {
        let scalars = Array(letters.unicodeScalars)
        precondition(scalars.count == 26, "letters of \(name) must name 26 keys")
        for (index, scalar) in scalars.enumerated() {
            key(0x04 + UInt8(index), .character(scalar), .character(Self.capital(scalar)))
        }
    }

    static func capital(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let upper = String(scalar).uppercased().unicodeScalars
        guard upper.count == 1, let only = upper.first else { return scalar }
        return only
    }

    private static func isCasePair(_ plain: KeyOutput?, _ shifted: KeyOutput?) -> Bool {
        guard case .character(let lower)? = plain, case .character(let upper)? = shifted else { return false }
        return lower.properties.isAlphabetic && lower != upper && capital(lower) == upper
    }
}
