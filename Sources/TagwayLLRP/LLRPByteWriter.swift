/// Big-endian output of one message. A TLV parameter is written header first and its length
/// patched when it closes, so nested parameters are built once, in place.
struct LLRPByteWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func s8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func s16(_ value: Int16) { u16(UInt16(bitPattern: value)) }

    mutating func u32(_ value: UInt32) {
        u16(UInt16(truncatingIfNeeded: value >> 16))
        u16(UInt16(truncatingIfNeeded: value))
    }

    mutating func u64(_ value: UInt64) {
        u32(UInt32(truncatingIfNeeded: value >> 32))
        u32(UInt32(truncatingIfNeeded: value))
    }

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    /// utf8v: a u16 byte count, then the bytes. A longer string is cut at 65535 bytes (no
    /// reader sends one; the cut keeps the parameter well-formed).
    mutating func utf8v(_ text: String) {
        let utf8 = text.utf8
        let count = min(utf8.count, Int(UInt16.max))
        u16(UInt16(count))
        bytes.append(contentsOf: utf8.prefix(count))
    }

    /// u16v: a u16 count, then the values (at most 65535 of them).
    mutating func u16v(_ values: [UInt16]) {
        let count = min(values.count, Int(UInt16.max))
        u16(UInt16(count))
        for value in values.prefix(count) { u16(value) }
    }

    /// A TV parameter's one-byte header: the high bit set, then the 7-bit type.
    mutating func tv(_ type: UInt8) { u8(0x80 | (type & 0x7F)) }

    /// Starts a TLV parameter; `close` with the returned offset writes its length.
    mutating func open(_ type: UInt16) -> Int {
        let start = bytes.count
        u16(type & 0x03FF)
        u16(0)
        return start
    }

    /// Starts a Custom parameter: vendor PEN and subtype after the TLV header.
    mutating func openCustom(vendor: UInt32, subtype: UInt32) -> Int {
        let start = open(LLRPParameterType.custom)
        u32(vendor)
        u32(subtype)
        return start
    }

    /// Writes the length of the parameter begun at `start`. The model's counts are capped by the
    /// encoders so a parameter stays under 64 KiB; the saturation is the last guard, not a path.
    mutating func close(_ start: Int) {
        let length = UInt16(clamping: bytes.count - start)
        bytes[start + 2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[start + 3] = UInt8(truncatingIfNeeded: length)
    }

    /// A TLV parameter holding only fixed fields written by `fields`.
    mutating func parameter(_ type: UInt16, _ fields: (inout LLRPByteWriter) -> Void) {
        let start = open(type)
        fields(&self)
        close(start)
    }
}
