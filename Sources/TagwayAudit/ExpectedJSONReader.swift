/// Reads an expected list written as JSON: an array of objects with the CSV's field names, or an
/// object holding that array under `assets` (or `rows`, as Snipe-IT's `/api/v1/hardware` answers,
/// where `location` is an object whose `name` is used).
///
/// A small reader of its own rather than Foundation's: each entry is located by the line its
/// object starts on, the bytes are read in place, and nesting is bounded.
enum ExpectedJSONReader {
    static let arrayKeys = ["assets", "rows"]

    static func read(_ bytes: UnsafeRawBufferPointer, start: Int, into builder: inout ExpectedListBuilder) {
        var scanner = JSONScanner(bytes: bytes, position: start)
        do throws(JSONScanner.Failure) {
            scanner.skipWhitespace()
            if scanner.peek() == UInt8(ascii: "{") {
                var sawArray = false
                try scanner.object { scanner, key throws(JSONScanner.Failure) in
                    if !sawArray, arrayKeys.contains(ExpectedListColumns.normalized(key)), scanner.peek() == UInt8(ascii: "[") {
                        sawArray = true
                        try readArray(&scanner, into: &builder)
                    } else {
                        try scanner.skipValue()
                    }
                }
                if !sawArray {
                    builder.report(.missingColumn, line: 1, "the object has no \"assets\" array",
                                   fix: "write an array of {\"asset_tag\": …, \"zone\": …} objects, or {\"assets\": [ … ]}")
                    return
                }
            } else {
                try readArray(&scanner, into: &builder)
            }
            scanner.skipWhitespace()
            if scanner.peek() != nil { throw JSONScanner.Failure(line: scanner.line, message: "text after the end of the list") }
        } catch let failure {
            if failure.message == JSONScanner.stop { return }
            builder.report(.malformedJSON, line: failure.line, failure.message, fix: "fix the JSON (RFC 8259) at that line")
        }
    }

    private static func readArray(_ scanner: inout JSONScanner, into builder: inout ExpectedListBuilder) throws(JSONScanner.Failure) {
        var index = 0
        try scanner.array { scanner throws(JSONScanner.Failure) in
            index += 1
            let line = scanner.line
            guard scanner.peek() == UInt8(ascii: "{") else {
                let kind = scanner.kindOfNext()
                try scanner.skipValue()
                builder.report(.notAnObject, line: line, "entry \(index) is \(kind)",
                               fix: "write each asset as an object such as {\"asset_tag\": \"LAP-00042\", \"zone\": \"it-storage\"}")
                return
            }
            var fields: [String: (name: String, value: JSONScanner.Value)] = [:]
            try scanner.object { scanner, key throws(JSONScanner.Failure) in
                let name = ExpectedListColumns.normalized(key)
                let value = try scanner.value(takingNameOfObject: ExpectedListColumns.locationNames.contains(name))
                if fields[name] == nil { fields[name] = (key, value) }
            }
            if !add(fields, line: line, into: &builder) { throw JSONScanner.Failure(line: line, message: JSONScanner.stop) }
        }
    }

    private static func add(_ fields: [String: (name: String, value: JSONScanner.Value)], line: Int,
                            into builder: inout ExpectedListBuilder) -> Bool {
        let present = Set(fields.keys)
        guard let assetName = ExpectedListColumns.pick(ExpectedListColumns.assetNames, in: present) else {
            builder.report(.missingColumn, line: line, "the entry has no asset field",
                           fix: "name the asset with \(ExpectedListColumns.assetHint)")
            return true
        }
        let zoneName = ExpectedListColumns.pick(ExpectedListColumns.zoneNames, in: present)
        guard let placeName = zoneName ?? ExpectedListColumns.pick(ExpectedListColumns.locationNames, in: present) else {
            builder.report(.missingColumn, line: line, "the entry has no zone field",
                           fix: "say where the asset should be with \(ExpectedListColumns.zoneHint)")
            return true
        }
        // force-unwrap-ok: both names were picked from `present`, the keys of `fields`
        let asset = fields[assetName]!, place = fields[placeName]!
        func text(_ field: (name: String, value: JSONScanner.Value)) -> String?? {
            switch field.value {
            case .text(let text): return .some(text)
            case .null: return .some(nil)
            case .other(let kind):
                builder.report(.emptyValue, line: line, column: field.name, "is \(kind)", fix: "write it as text")
                return nil
            }
        }
        guard let assetText = text(asset), let placeText = text(place) else { return true }
        return builder.add(asset: assetText, assetColumn: asset.name, place: placeText, placeColumn: place.name,
                           placeIsLocation: zoneName == nil, line: line)
    }
}

/// A forward-only JSON tokenizer over UTF-8 bytes that counts lines.
struct JSONScanner {
    struct Failure: Error {
        var line: Int
        var message: String
    }

    /// A field's value as an expected list uses it.
    enum Value {
        /// A string, or a number's literal text (an asset tag may be written as a number).
        case text(String)
        case null
        /// Anything else, described for an error ("an array", "true").
        case other(String)
    }

    /// Not an error: the builder asked to stop (row limit).
    static let stop = "\u{0}stop"
    static let maxDepth = 64

    let bytes: UnsafeRawBufferPointer
    var position: Int
    private(set) var line = 1

    init(bytes: UnsafeRawBufferPointer, position: Int) {
        self.bytes = bytes
        self.position = position
    }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x0A: line += 1
            case 0x20, 0x09, 0x0D: break
            default: return
            }
            position += 1
        }
    }

    func kindOfNext() -> String {
        switch peek() {
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        default: "a number"
        }
    }

    private func fail(_ message: String) -> Failure { Failure(line: line, message: message) }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard peek() == byte else { throw fail("expected \(what), found \(found)") }
        position += 1
    }

    private var found: String {
        guard let byte = peek() else { return "the end of the list" }
        return byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    /// `[ v, v ]`: calls `element` positioned at each value (whitespace skipped); it must consume it.
    mutating func array(_ element: (inout JSONScanner) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "["), "'['")
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return
        }
    }

    /// `{ "k": v }`: calls `member` with each key, positioned at its value; it must consume it.
    mutating func object(_ member: (inout JSONScanner, String) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"), "'{'")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a field name in quotes, found \(found)") }
            let key = try string()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }

    /// A field value; an object gives its `name` string when `takingNameOfObject` (Snipe-IT's
    /// `"location": {"id": 3, "name": "HQ Storage Room 2"}`).
    mutating func value(takingNameOfObject: Bool) throws(Failure) -> Value {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "\""): return .text(try string())
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "t"): try literal("true"); return .other("true")
        case UInt8(ascii: "f"): try literal("false"); return .other("false")
        case UInt8(ascii: "["): try skipValue(); return .other("an array")
        case UInt8(ascii: "{"):
            guard takingNameOfObject else { try skipValue(); return .other("an object") }
            var name: Value = .other("an object without a \"name\"")
            try object { scanner, key throws(Failure) in
                if key == "name", scanner.peek() == UInt8(ascii: "\"") { name = .text(try scanner.string()) } else { try scanner.skipValue() }
            }
            return name
        default: return .text(try number())
        }
    }

    mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < Self.maxDepth else { throw fail("nested deeper than \(Self.maxDepth)") }
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "["): try array { scanner throws(Failure) in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "{"): try object { scanner, _ throws(Failure) in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        default: _ = try number()
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for byte in word.utf8 {
            guard peek() == byte else { throw fail("expected \(word), found \(found)") }
            position += 1
        }
    }

    private mutating func number() throws(Failure) -> String {
        let start = position
        while let byte = peek(), byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (byte >= 0x30 && byte <= 0x39) {
            position += 1
        }
        guard position > start else { throw fail("expected a value, found \(found)") }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A string at `position` (which is a quote), unescaped.
    mutating func string() throws(Failure) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { throw fail("a control character (0x\(String(byte, radix: 16))) inside a string") }
            position += 1
        }
        guard let stop = peek() else { throw fail("a string is never closed") }
        if stop == UInt8(ascii: "\"") {
            position += 1
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(position - 1)]), as: UTF8.self)
        }
        var out = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while let byte = peek() {
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"): try escape(into: &out)
            case ..<0x20: throw fail("a control character (0x\(String(byte, radix: 16))) inside a string")
            default: out.append(byte)
            }
        }
        throw fail("a string is never closed")
    }

    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        guard let byte = peek() else { throw fail("a string is never closed") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                    throw fail("an unpaired surrogate \\u\(String(scalar, radix: 16)) in a string")
                }
                position += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("an unpaired surrogate \\u\(String(scalar, radix: 16)) in a string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("an unpaired surrogate \\u\(String(scalar, radix: 16)) in a string")
            }
            // force-unwrap-ok: at most 0x10FFFF (one \u or a checked pair) and no lone surrogate
            out.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
        default: throw fail("an unknown escape \\\(Character(Unicode.Scalar(byte))) in a string")
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexDigit(byte) else { throw fail("a \\u escape needs 4 hex digits") }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }
}
