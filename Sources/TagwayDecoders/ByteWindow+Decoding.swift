import TagwayModel

/// Read helpers the binary decoders share. Internal: they let a decoder look at a frame in place
/// (big-endian fields, a slice for a tag id, a running checksum) without copying it out first.
/// Every caller has checked `count` for the whole range beforehand.
extension ByteWindow {
    /// The big-endian 16-bit word at `offset`.
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// `length` bytes at `offset`, sharing the window's storage (no copy until kept).
    func slice(_ offset: Int, _ length: Int) -> ArraySlice<UInt8> {
        storage[(start + offset)..<(start + offset + length)]
    }

    /// Upper-case hex of `length` bytes at `offset`, for status details.
    func hex(_ offset: Int, _ length: Int) -> String {
        HexCoding.encode(slice(offset, length))
    }

    /// The low byte of the sum of `length` bytes at `offset` (M100 checksum, PN532 LCS/DCS).
    func byteSum(_ offset: Int, _ length: Int) -> UInt8 {
        var sum: UInt8 = 0
        var index = start + offset
        let end = index + length
        while index < end {
            sum &+= storage[index]
            index += 1
        }
        return sum
    }

    /// The first offset in `from..<to` holding `byte`, if any.
    func firstIndex(of byte: UInt8, from: Int, to: Int) -> Int? {
        var index = start + from
        let end = start + Swift.min(to, count)
        while index < end {
            if storage[index] == byte { return index - start }
            index += 1
        }
        return nil
    }
}
