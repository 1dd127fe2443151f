/// One GS1 Application Identifier: its data field as a sequence of components (see
/// `GS1ApplicationIdentifierTable`) and whether it is of predefined length.
public struct GS1ApplicationIdentifier: Hashable, Sendable {
    public let ai: String
    /// True for the AIs of GS1 General Specifications Figure 7.8.5-2, which need no FNC1 after them.
    public let predefinedLength: Bool
    let components: [Component]

    /// Shortest and longest data field.
    public var minLength: Int { components.reduce(0) { $0 + ($1.optional ? 0 : $1.minLength) } }
    public var maxLength: Int { components.reduce(0) { $0 + $1.maxLength } }
    public var isFixedLength: Bool { minLength == maxLength }

    enum CharacterSet: Hashable, Sendable {
        case numeric, set82, set39, set64

        func contains(_ byte: UInt8) -> Bool {
            switch self {
            case .numeric: return byte >= 48 && byte <= 57
            case .set82: return GS1CharacterSet82.contains(byte)
            case .set39:
                return (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || byte == 0x23 || byte == 0x2D || byte == 0x2F
            case .set64:
                return (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                    || byte == 0x2D || byte == 0x5F || byte == 0x3D
            }
        }

        var name: String {
            switch self {
            case .numeric: "digits"
            case .set82: "GS1 character set 82"
            case .set39: "GS1 character set 39"
            case .set64: "GS1 character set 64"
            }
        }
    }

    enum Check: String, Hashable, Sendable {
        case csum, ymd, ymd0, ymdh, hhmm, hhmm9, mmss, ymd8, ymdhm12, zero, yesno, hyphen, piece, cc3
    }

    struct Component: Hashable, Sendable {
        var characterSet: CharacterSet
        var minLength: Int
        var maxLength: Int
        var optional: Bool
        var check: Check?
    }

    /// The whole table, by AI. Built once from the text table.
    static let table: [String: GS1ApplicationIdentifier] = {
        var out = [String: GS1ApplicationIdentifier]()
        for line in GS1ApplicationIdentifierTable.lines.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let first = words.first else { continue }
            let predefined = words.count > 1 && words[1] == "*"
            let components = words.dropFirst(predefined ? 2 : 1).map(parseComponent)
            let range = first.split(separator: "-")
            // force-unwrap-ok: the table is a literal in this module (GS1ApplicationIdentifierTable), tested whole
            let low = Int(range[0])!
            let high = range.count > 1 ? Int(range[1])! : low  // force-unwrap-ok: as above
            let width = range[0].count
            for value in low...high {
                let ai = Decimal64.padded(UInt64(value), width: width)
                out[ai] = GS1ApplicationIdentifier(ai: ai, predefinedLength: predefined, components: components)
            }
        }
        return out
    }()

    private static func parseComponent(_ word: Substring) -> Component {
        var text = word
        let optional = text.hasPrefix("[")
        if optional { text = text.dropFirst() }
        if let close = text.firstIndex(of: "]") { text.remove(at: close) }
        let parts = text.split(separator: ":")
        let spec = parts[0]
        let set: CharacterSet
        switch spec.first {
        case "N": set = .numeric
        case "X": set = .set82
        case "Y": set = .set39
        default: set = .set64
        }
        let lengthText = spec.dropFirst()
        let variable = lengthText.hasPrefix("..")
        let length = Int(lengthText.drop { $0 == "." })!  // force-unwrap-ok: the literal table's format specs
        return Component(characterSet: set, minLength: variable ? 1 : length, maxLength: length, optional: optional,
                         check: parts.count > 1 ? Check(rawValue: String(parts[1])) : nil)
    }

    /// The AI that starts `digits` (AIs are 2 to 4 digits and none is a prefix of another).
    static func match(_ bytes: ArraySlice<UInt8>) -> GS1ApplicationIdentifier? {
        var key = ""
        for byte in bytes.prefix(4) {
            guard byte >= 48, byte <= 57 else { return nil }
            key.unicodeScalars.append(Unicode.Scalar(byte))
            if key.utf8.count >= 2, let found = table[key] { return found }
        }
        return nil
    }

    public static func named(_ ai: String) -> GS1ApplicationIdentifier? { table[ai] }

    /// Text like "exactly 14" or "1 to 20" for error messages.
    var expectedLength: String {
        isFixedLength ? "exactly \(maxLength)" : "\(minLength) to \(maxLength)"
    }

    /// Checks a complete data field against the components and their content rules.
    func validate(_ value: [UInt8]) throws(GS1Error) {
        guard value.count >= minLength, value.count <= maxLength else {
            throw .length(ai: ai, length: value.count, expected: expectedLength)
        }
        var position = 0
        for (index, component) in components.enumerated() {
            let remaining = value.count - position
            if remaining == 0, component.optional { break }
            let isLast = index == components.count - 1
            // Fixed components take their length; a variable one takes what the later fixed ones leave.
            let laterMinimum = components[(index + 1)...].reduce(0) { $0 + ($1.optional ? 0 : $1.minLength) }
            let take = component.minLength == component.maxLength && !isLast
                ? component.maxLength : min(component.maxLength, remaining - laterMinimum)
            guard take >= component.minLength, take <= remaining else {
                throw .length(ai: ai, length: value.count, expected: expectedLength)
            }
            let part = value[position..<(position + take)]
            for (offset, byte) in part.enumerated() where !component.characterSet.contains(byte) {
                throw .invalidCharacter(ai: ai, character: String(decoding: [byte], as: UTF8.self),
                                        position: position + offset, characterSet: component.characterSet.name)
            }
            if let check = component.check {
                try GS1ContentCheck.apply(check, to: part, ai: ai)
            }
            position += take
        }
        guard position == value.count else { throw .length(ai: ai, length: value.count, expected: expectedLength) }
    }
}
