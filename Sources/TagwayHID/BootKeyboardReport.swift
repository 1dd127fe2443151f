/// The modifier byte of a boot-keyboard report (HID 1.11 appendix B.1).
public struct KeyboardModifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let leftControl = KeyboardModifiers(rawValue: 0x01)
    public static let leftShift = KeyboardModifiers(rawValue: 0x02)
    public static let leftAlt = KeyboardModifiers(rawValue: 0x04)
    public static let leftGUI = KeyboardModifiers(rawValue: 0x08)
    public static let rightControl = KeyboardModifiers(rawValue: 0x10)
    public static let rightShift = KeyboardModifiers(rawValue: 0x20)
    /// AltGr on European layouts.
    public static let rightAlt = KeyboardModifiers(rawValue: 0x40)
    public static let rightGUI = KeyboardModifiers(rawValue: 0x80)

    public var shift: Bool { !isDisjoint(with: [.leftShift, .rightShift]) }
    public var control: Bool { !isDisjoint(with: [.leftControl, .rightControl]) }
    /// Right Alt, or Ctrl+Alt, which Windows also treats as AltGr and some scanners send.
    public var altGr: Bool { contains(.rightAlt) || (control && contains(.leftAlt)) }
}

/// Keyboard page (0x07) usages the decoder treats specially; the layout maps the rest.
public enum KeyboardUsage {
    public static let errorRollOver: UInt8 = 0x01
    public static let postFail: UInt8 = 0x02
    public static let errorUndefined: UInt8 = 0x03
    public static let enter: UInt8 = 0x28
    public static let tab: UInt8 = 0x2B
    public static let space: UInt8 = 0x2C
    public static let capsLock: UInt8 = 0x39
    public static let keypadEnter: UInt8 = 0x58
    public static let keypadDecimal: UInt8 = 0x63

    /// The layout-independent keypad keys `/ * - +` (0x54-0x57) and `1`-`9`, `0` (0x59-0x62).
    public static func keypadCharacter(_ usage: UInt8) -> Unicode.Scalar? {
        switch usage {
        case 0x54: return "/"
        case 0x55: return "*"
        case 0x56: return "-"
        case 0x57: return "+"
        case 0x59...0x61: return Unicode.Scalar(UInt8(ascii: "1") + usage - 0x59)
        case 0x62: return "0"
        default: return nil
        }
    }

    /// The digit of a keypad digit key, for Alt+keypad character codes.
    public static func keypadDigit(_ usage: UInt8) -> Int? {
        switch usage {
        case 0x59...0x61: return Int(usage - 0x58)
        case 0x62: return 0
        default: return nil
        }
    }
}

/// One boot-protocol keyboard input report: `[modifiers, reserved, key1 ... key6]`.
///
/// Keys are the usages held down at that moment, not events: a key typed twice is reported,
/// released (all zero), and reported again. When more keys are held than the report can carry,
/// every key slot says ErrorRollOver (0x01); such a report says nothing about which keys are
/// down and is ignored.
public struct BootKeyboardReport: Hashable, Sendable {
    public var modifiers: KeyboardModifiers
    /// The usages held, in report order, without the empty (0) slots.
    public var keys: [UInt8]
    /// The report is a rollover/POST-fail/undefined-error report rather than key state.
    public var isErrorReport: Bool

    /// Nil when the report is too short to hold a modifier byte, the reserved byte and one key.
    /// Longer reports (n-key rollover) are read the same way: every byte after the second is a key.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count >= 3 else { return nil }
        let all = Array(bytes)
        modifiers = KeyboardModifiers(rawValue: all[0])
        let slots = all[2...]
        isErrorReport = slots.contains { (KeyboardUsage.errorRollOver...KeyboardUsage.errorUndefined).contains($0) }
        keys = slots.filter { $0 != 0 }
    }
}
