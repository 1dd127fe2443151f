/// A parameter's header as found in a body: where its value starts and where it ends.
struct LLRPParameterHeader {
    /// The TLV type (128–2047) or the TV type (1–127).
    var type: UInt16
    var isTV: Bool
    /// Offset of the header in the body.
    var offset: Int
    var valueStart: Int
    var end: Int
}

/// A bounded cursor over a message body (or one parameter's value inside it). Every read checks
/// the bound first and fails with a typed error naming the field and the offset; nested readers
/// share the body's storage, so walking parameters copies nothing.
struct LLRPBodyReader {
    let bytes: [UInt8]
    let type: LLRPMessageType
    private(set) var position: Int
    let end: Int
    /// How many parameters enclose this one: bounded so no input recurses without end.
    let depth: Int

    static let maximumDepth = 16

    init(_ bytes: [UInt8], type: LLRPMessageType) {
        self.bytes = bytes
        self.type = type
        position = 0
        end = bytes.count
        depth = 0
    }

    private init(parent: LLRPBodyReader, start: Int, end: Int) {
        bytes = parent.bytes
        type = parent.type
        position = start
        self.end = end
        depth = parent.depth + 1
    }

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }

    func malformed(_ why: String) -> LLRPError { .malformed(type, why) }

    /// The value of `parameter` as a reader of its own.
    func contents(of parameter: LLRPParameterHeader) throws(LLRPError) -> LLRPBodyReader {
        guard depth < LLRPBodyReader.maximumDepth else {
            throw malformed("parameters nested deeper than \(LLRPBodyReader.maximumDepth) at byte \(parameter.offset)")
        }
        return LLRPBodyReader(parent: self, start: parameter.valueStart, end: parameter.end)
    }

    @inline(__always)
    private func need(_ count: Int, _ field: StaticString) throws(LLRPError) {
        guard end - position >= count else {
            throw malformed("\(field) at byte \(position) needs \(count) bytes, \(end - position) left")
        }
    }

    mutating func u8(_ field: StaticString) throws(LLRPError) -> UInt8 {
        try need(1, field)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16(_ field: StaticString) throws(LLRPError) -> UInt16 {
        try need(2, field)
        defer { position += 2 }
        return u16(at: position)
    }

    mutating func u32(_ field: StaticString) throws(LLRPError) -> UInt32 {
        try need(4, field)
        defer { position += 4 }
        return u32(at: position)
    }

    mutating func u64(_ field: StaticString) throws(LLRPError) -> UInt64 {
        try need(8, field)
        defer { position += 8 }
        return u64(at: position)
    }

    /// Reads at an offset the caller has bounded (a TV parameter's value, whose length the
    /// header walk checked).
    @inline(__always) func u16(at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    @inline(__always) func u32(at offset: Int) -> UInt32 {
        UInt32(u16(at: offset)) << 16 | UInt32(u16(at: offset + 2))
    }

    @inline(__always) func u64(at offset: Int) -> UInt64 {
        UInt64(u32(at: offset)) << 32 | UInt64(u32(at: offset + 4))
    }

    mutating func bytes(_ count: Int, _ field: StaticString) throws(LLRPError) -> [UInt8] {
        try need(count, field)
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// Text kept of a utf8v, in UTF-8 bytes: a description is shown, not parsed, and the cap
    /// keeps its re-encoding (U+FFFD for each invalid byte triples it) inside one parameter.
    static let maximumTextBytes = 4096

    /// utf8v: a u16 byte count, then UTF-8; invalid sequences become U+FFFD.
    mutating func utf8v(_ field: StaticString) throws(LLRPError) -> String {
        let count = Int(try u16(field))
        try need(count, field)
        defer { position += count }
        let text = String(decoding: bytes[position..<(position + count)], as: UTF8.self)
        guard text.utf8.count > LLRPBodyReader.maximumTextBytes else { return text }
        var kept = 0
        return String(Substring(text.unicodeScalars.prefix(while: { scalar in
            kept += scalar.utf8.count
            return kept <= LLRPBodyReader.maximumTextBytes
        })))
    }

    /// u16v: the count is checked against the bytes left before anything is allocated.
    mutating func u16v(_ field: StaticString) throws(LLRPError) -> [UInt16] {
        let count = Int(try u16(field))
        try need(count * 2, field)
        var values: [UInt16] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            values.append(u16(at: position))
            position += 2
        }
        return values
    }

    /// The next parameter's header, or nil at the end. TLV: 6 reserved bits, a
    /// 10-bit type, a u16 length counting the 4-byte header; TV: the high bit set,
    /// a 7-bit type, a value whose length the type fixes. Either must end inside this reader.
    mutating func nextParameter() throws(LLRPError) -> LLRPParameterHeader? {
        guard position < end else { return nil }
        let offset = position
        let first = bytes[offset]
        if first & 0x80 != 0 {
            let type = Int(first & 0x7F)
            let table = LLRPParameterType.tvValueLength
            guard type < table.count, table[type] > 0 else {
                throw malformed("unknown TV parameter type \(type) at byte \(offset): its length is unknown")
            }
            let valueEnd = offset + 1 + table[type]
            guard valueEnd <= end else {
                throw malformed("TV parameter \(type) at byte \(offset) overruns its parent by \(valueEnd - end) bytes")
            }
            position = valueEnd
            return LLRPParameterHeader(type: UInt16(type), isTV: true, offset: offset, valueStart: offset + 1, end: valueEnd)
        }
        guard end - offset >= 4 else {
            throw malformed("\(end - offset) bytes at byte \(offset) are too short for a parameter header")
        }
        let type = u16(at: offset) & 0x03FF
        let length = Int(u16(at: offset + 2))
        guard length >= 4 else {
            throw malformed("parameter \(type) at byte \(offset) has length \(length), below its 4-byte header")
        }
        guard length <= end - offset else {
            throw malformed("parameter \(type) at byte \(offset) of length \(length) overruns its parent by \(length - (end - offset)) bytes")
        }
        position = offset + length
        return LLRPParameterHeader(type: type, isTV: false, offset: offset, valueStart: offset + 4, end: offset + length)
    }

    /// The vendor and subtype of a Custom parameter, or an error if it is too short.
    func customHeader(_ parameter: LLRPParameterHeader) throws(LLRPError) -> (vendor: UInt32, subtype: UInt32) {
        guard parameter.end - parameter.valueStart >= 8 else {
            throw malformed("Custom parameter at byte \(parameter.offset) is shorter than its vendor and subtype")
        }
        return (u32(at: parameter.valueStart), u32(at: parameter.valueStart + 4))
    }
}
