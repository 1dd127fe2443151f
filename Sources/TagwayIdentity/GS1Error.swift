/// Why barcode data is not a valid GS1 message. Each case names the AI and what was expected.
public enum GS1Error: Error, Hashable, Sendable, CustomStringConvertible {
    case empty
    /// No AI in the table starts the data at this position.
    case unknownAI(position: Int, text: String)
    /// The data field is shorter or longer than the AI allows.
    case length(ai: String, length: Int, expected: String)
    /// A character outside the AI's character set (numeric, set 82, set 39 or set 64).
    case invalidCharacter(ai: String, character: String, position: Int, characterSet: String)
    /// The GS1 check digit is wrong.
    case checkDigit(ai: String, value: String, expected: UInt8)
    /// A date or time that does not exist (GS1 General Specifications §7.12).
    case invalidDate(ai: String, value: String, reason: String)
    /// Another content rule of the AI (zero digit, yes/no flag, hyphen, piece of total ...).
    case invalidContent(ai: String, value: String, reason: String)
    /// Human-readable text that is not `(AI)value(AI)value...`.
    case malformedHRI(text: String, reason: String)
    /// An AIM symbology identifier that is not `]` + code character + modifier.
    case malformedSymbology(String)
    /// EAN/UPC or ITF data that is not a GTIN of the right length.
    case notAGTIN(symbology: String, value: String)
    /// A GS separator where no element string can end (e.g. twice in a row, or right after the AI).
    case unexpectedSeparator(position: Int)

    public var description: String {
        switch self {
        case .empty: return "empty input"
        case let .unknownAI(position, text):
            return "no GS1 Application Identifier starts at position \(position) (\(JSONQuote.quote(text)))"
        case let .length(ai, length, expected):
            return "(\(ai)): data is \(length) characters, expected \(expected)"
        case let .invalidCharacter(ai, character, position, set):
            return "(\(ai)): character \(JSONQuote.quote(character)) at position \(position) is not in \(set)"
        case let .checkDigit(ai, value, expected):
            return "(\(ai)): check digit of \(value) is wrong, expected \(expected)"
        case let .invalidDate(ai, value, reason):
            return "(\(ai)): \(value) is not a valid date/time: \(reason)"
        case let .invalidContent(ai, value, reason):
            return "(\(ai)): \(JSONQuote.quote(value)) \(reason)"
        case let .malformedHRI(text, reason):
            return "malformed GS1 text \(JSONQuote.quote(text)): \(reason)"
        case let .malformedSymbology(text):
            return "malformed AIM symbology identifier \(JSONQuote.quote(text))"
        case let .notAGTIN(symbology, value):
            return "\(symbology) data \(JSONQuote.quote(value)) is not a GTIN"
        case let .unexpectedSeparator(position):
            return "unexpected GS separator at position \(position)"
        }
    }
}
