/// An RFC 4180 record reader over bytes already checked to be UTF-8.
///
/// Written here rather than taken from a CSV package because an audit error must name the
/// physical line a record starts on (a quoted field may span lines) and the line of the first
/// non-UTF-8 byte; the packages available report neither. Fields are byte ranges into the
/// caller's buffer, decoded only for the columns an audit reads, so a 1M-row export is read
/// without a second copy of its bytes and in one linear pass.
struct CSVReader {
    struct Field {
        var start: Int
        var end: Int
        /// The field was quoted and holds `""` pairs to unescape.
        var escapedQuotes: Bool
    }

    enum Failure: Error, Equatable {
        /// A quoted field that is never closed: the line where the field (and its record) starts.
        case unclosedQuote(recordLine: Int, fieldLine: Int)
        /// Characters between a closing quote and the next separator.
        case textAfterQuote(line: Int)
    }

    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    let bytes: UnsafeRawBufferPointer
    let separator: UInt8
    private(set) var position: Int
    /// Physical line of `position`.
    private(set) var line: Int

    init(bytes: UnsafeRawBufferPointer, start: Int, separator: UInt8) {
        self.bytes = bytes
        self.separator = separator
        position = start
        line = 1
    }

    /// The separator of a file: `,` or `;`, whichever the header line (outside quotes) has more
    /// of; `,` when it has neither (a one-column list).
    static func detectSeparator(_ bytes: UnsafeRawBufferPointer, start: Int) -> UInt8 {
        var commas = 0
        var semicolons = 0
        var quoted = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                quoted.toggle()
            } else if !quoted {
                if byte == lineFeed || byte == carriageReturn { break }
                if byte == UInt8(ascii: ",") { commas += 1 }
                if byte == UInt8(ascii: ";") { semicolons += 1 }
            }
            index += 1
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// Reads the next record into `fields` (cleared first); returns the line it starts on, or
    /// nil at the end. Blank lines are skipped.
    mutating func next(into fields: inout [Field]) throws(Failure) -> Int? {
        fields.removeAll(keepingCapacity: true)
        while position < bytes.count, isLineEnd(bytes[position]) { consumeLineEnd() }
        guard position < bytes.count else { return nil }
        let recordLine = line
        while true {
            let fieldStart = position
            if position < bytes.count, bytes[position] == Self.quote {
                fields.append(try quotedField(recordLine: recordLine))
            } else {
                while position < bytes.count, bytes[position] != separator, !isLineEnd(bytes[position]) { position += 1 }
                fields.append(Field(start: fieldStart, end: position, escapedQuotes: false))
            }
            if position < bytes.count, bytes[position] == separator {
                position += 1
                continue
            }
            if position < bytes.count { consumeLineEnd() }
            return recordLine
        }
    }

    private mutating func quotedField(recordLine: Int) throws(Failure) -> Field {
        let fieldLine = line
        position += 1
        let start = position
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.quote {
                if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                    escaped = true
                    position += 2
                    continue
                }
                let field = Field(start: start, end: position, escapedQuotes: escaped)
                position += 1
                guard position >= bytes.count || bytes[position] == separator || isLineEnd(bytes[position]) else {
                    throw .textAfterQuote(line: line)
                }
                return field
            }
            if byte == Self.lineFeed { line += 1 }
            position += 1
        }
        throw .unclosedQuote(recordLine: recordLine, fieldLine: fieldLine)
    }

    private func isLineEnd(_ byte: UInt8) -> Bool { byte == Self.lineFeed || byte == Self.carriageReturn }

    /// CR LF, LF, or a lone CR (old Mac exports) ends a line.
    private mutating func consumeLineEnd() {
        if bytes[position] == Self.carriageReturn, position + 1 < bytes.count, bytes[position + 1] == Self.lineFeed {
            position += 1
        }
        position += 1
        line += 1
    }

    func text(_ field: Field) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
        let text = String(decoding: slice, as: UTF8.self)
        return field.escapedQuotes ? text.replacingQuotePairs() : text
    }

    func isEmpty(_ field: Field) -> Bool { field.start == field.end }
}

extension String {
    /// `""` to `"`, for a quoted CSV field that held escaped quotes.
    fileprivate func replacingQuotePairs() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var previousWasQuote = false
        for scalar in unicodeScalars {
            if scalar == "\"" {
                if previousWasQuote {
                    previousWasQuote = false
                    continue
                }
                previousWasQuote = true
            } else {
                previousWasQuote = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
