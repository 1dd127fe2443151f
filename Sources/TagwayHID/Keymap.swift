/// What one key produces at one shift level of a keyboard layout.
public enum KeyOutput: Hashable, Sendable {
    /// A character, typed at once.
    case character(Unicode.Scalar)
    /// A dead key: nothing yet; the accent combines with the next key (`^` then `e` is `ê`,
    /// `^` then space is `^`). German and French scanners type `^` and `` ` `` this way.
    case dead(Unicode.Scalar)
}

/// One key of a layout: its four levels (plain, Shift, AltGr, Shift+AltGr) and whether Caps Lock
/// shifts it.
public struct KeymapEntry: Hashable, Sendable {
    public var levels: [KeyOutput?]
    /// Caps Lock acts as Shift only on alphabetic keys (letters, and é/ü/ö... where they are
    /// letters); digits and punctuation ignore it, as on Windows and Linux.
    public var alphabetic: Bool

    public init(levels: [KeyOutput?], alphabetic: Bool) {
        self.levels = levels + Array(repeating: nil, count: max(0, 4 - levels.count))
        self.alphabetic = alphabetic
    }

    /// The output for the held modifiers; nil when the key has nothing at that level.
    public func output(shift: Bool, altGr: Bool, capsLock: Bool) -> KeyOutput? {
        let shifted = shift != (capsLock && alphabetic)
        return levels[(altGr ? 2 : 0) + (shifted ? 1 : 0)]
    }
}

/// A keyboard layout: which character each HID keyboard usage (page 0x07) types.
///
/// A keyboard-wedge scanner is set to a "keyboard country" and sends, for each character of
/// the barcode, the key that types that character on that layout. Reading the reports back
/// needs the same layout, or `Z` becomes `Y` on a German desk and digits become `&é"'` on a
/// French one. Layout-independent keys (Enter, Tab, Space, the keypad) are handled by the
/// decoder, not here.
public struct Keymap: Hashable, Sendable {
    /// The name used in device profiles: `us`, `uk`, `de`, `fr`.
    public let name: String
    /// What the keypad's decimal key types (`.` on US/UK/FR, `,` on German keyboards).
    public let keypadDecimal: Unicode.Scalar
    let entries: [UInt8: KeymapEntry]

    init(name: String, keypadDecimal: Unicode.Scalar, entries: [UInt8: KeymapEntry]) {
        self.name = name
        self.keypadDecimal = keypadDecimal
        self.entries = entries
    }

    public func entry(for usage: UInt8) -> KeymapEntry? { entries[usage] }

    /// The usages this layout maps, for tests and for listing.
    public var mappedUsages: [UInt8] { entries.keys.sorted() }

    /// Every layout the gateway knows, by profile name.
    public static let all: [Keymap] = [.us, .uk, .german, .french]

    /// The layout a profile names (`gb` is accepted for `uk`); nil for an unknown name.
    public static func named(_ name: String) -> Keymap? {
        let key = name.lowercased()
        if key == "gb" { return .uk }
        return all.first { $0.name == key }
    }
}
