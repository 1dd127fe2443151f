/// A parsed GS1 message: element strings in the order they were encoded.
public struct GS1Message: Hashable, Sendable {
    public var elements: [GS1Element]

    public init(elements: [GS1Element]) { self.elements = elements }

    /// Human-readable form, `(01)09506000134352(10)ABC`.
    public var elementString: String {
        var out = ""
        for element in elements { out += "(" + element.ai + ")" + element.value }
        return out
    }

    /// The value of the first element with this AI.
    public func value(of ai: String) -> String? { elements.first { $0.ai == ai }?.value }
}

/// Parses GS1 element strings as barcodes carry them (FNC1 transmitted as GS, 0x1D) and in
/// human-readable form (`(AI)value...`), validating every element against the AI table.
public enum GS1ElementStringParser {
    public static let groupSeparator: UInt8 = 0x1D

    /// Barcode data after the symbology identifier, with GS between variable-length elements.
    /// A GS right at the start (some scanners send the leading FNC1) and at the very end is accepted.
    public static func parse(data: some Collection<UInt8>) throws(GS1Error) -> GS1Message {
        let bytes = Array(data)
        var position = bytes.first == groupSeparator ? 1 : 0
        guard position < bytes.count else { throw .empty }
        var elements = [GS1Element]()
        while position < bytes.count {
            guard bytes[position] != groupSeparator else { throw .unexpectedSeparator(position: position) }
            guard let ai = GS1ApplicationIdentifier.match(bytes[position...]) else {
                throw .unknownAI(position: position,
                                 text: String(decoding: bytes[position...].prefix(4), as: UTF8.self))
            }
            let start = position + ai.ai.utf8.count
            var end = start
            if ai.isFixedLength {
                end = min(start + ai.maxLength, bytes.count)
                if let separator = bytes[start..<end].firstIndex(of: groupSeparator) { end = separator }
            } else {
                while end < bytes.count, bytes[end] != groupSeparator { end += 1 }
            }
            let value = Array(bytes[start..<end])
            try ai.validate(value)
            elements.append(GS1Element(ai: ai.ai, value: String(decoding: value, as: UTF8.self)))
            position = end
            if position < bytes.count, bytes[position] == groupSeparator { position += 1 }
        }
        return GS1Message(elements: elements)
    }

    /// `(01)09506000134352(10)ABC`. A `(` starts the next element only when it encloses a known
    /// AI; otherwise it belongs to the value (set 82 contains parentheses).
    public static func parse(humanReadable text: String) throws(GS1Error) -> GS1Message {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        guard let first = aiInParentheses(bytes, at: 0) else {
            throw .malformedHRI(text: text, reason: "must start with (AI) of a known Application Identifier")
        }
        var elements = [GS1Element]()
        var current = first
        while true {
            let start = current.end
            var end = start
            var next: (ai: GS1ApplicationIdentifier, end: Int)?
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "("), let found = aiInParentheses(bytes, at: end) {
                    next = found
                    break
                }
                end += 1
            }
            let value = Array(bytes[start..<end])
            try current.ai.validate(value)
            elements.append(GS1Element(ai: current.ai.ai, value: String(decoding: value, as: UTF8.self)))
            guard let following = next else { break }
            current = following
        }
        return GS1Message(elements: elements)
    }

    /// `(AI)` at `index` for a known AI, and the index after the `)`.
    private static func aiInParentheses(_ bytes: [UInt8], at index: Int) -> (ai: GS1ApplicationIdentifier, end: Int)? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "(") else { return nil }
        var close = index + 1
        while close < bytes.count, close - index <= 5, bytes[close] >= 48, bytes[close] <= 57 { close += 1 }
        guard close < bytes.count, bytes[close] == UInt8(ascii: ")"), close - index - 1 >= 2 else { return nil }
        let digits = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
        guard let ai = GS1ApplicationIdentifier.named(digits) else { return nil }
        return (ai, close + 1)
    }
}
