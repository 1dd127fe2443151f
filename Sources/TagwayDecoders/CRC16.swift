/// CRC-16 with the CCITT polynomial 0x1021 (MSB first), the one family every UHF reader here needs.
///
/// One 256-entry table serves all variants; they differ only in the initial register, the final XOR
/// and, for ThingMagic, in feeding data into the register instead of XOR-ing it in:
///
/// | variant | init | xorout | used for |
/// |---|---|---|---|
/// | CCITT-FALSE | 0xFFFF | 0 | generic check value 0x29B1 for "123456789" |
/// | AUG-CCITT | 0x1D0F | 0 | the same register as CCITT-FALSE with 16 zero bits fed first |
/// | GENIBUS | 0xFFFF | 0xFFFF | Gen2 StoredCRC / backscattered CRC over PC + EPC |
/// | Mercury | (see `mercury`) | | ThingMagic serial frames, over LEN..data |
///
/// Table-driven and allocation-free: decoders call `update` per byte over their window, so a frame
/// is checked without copying it out.
public enum CRC16 {
    @usableFromInline static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }

    /// One byte through the ordinary (XOR-in) CCITT register.
    @inlinable
    public static func update(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
    }

    /// One byte shifted into the register from the low end, ThingMagic's "augmented" form.
    @inlinable
    public static func updateAugmented(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        ((crc << 8) | UInt16(byte)) ^ table[Int(crc >> 8)]
    }

    /// The CCITT register over `bytes` from `initial`, no final XOR.
    @inlinable
    public static func ccitt<C: Sequence>(_ bytes: C, initial: UInt16) -> UInt16 where C.Element == UInt8 {
        var crc = initial
        for byte in bytes { crc = update(crc, byte) }
        return crc
    }

    /// CRC-16/CCITT-FALSE (init 0xFFFF).
    @inlinable
    public static func ccittFalse<C: Sequence>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        ccitt(bytes, initial: 0xFFFF)
    }

    /// CRC-16/AUG-CCITT (init 0x1D0F): what CCITT-FALSE gives after two leading zero bytes.
    @inlinable
    public static func augCCITT<C: Sequence>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        ccitt(bytes, initial: 0x1D0F)
    }

    /// CRC-16/GENIBUS (init 0xFFFF, xorout 0xFFFF).
    @inlinable
    public static func genibus<C: Sequence>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        ccitt(bytes, initial: 0xFFFF) ^ 0xFFFF
    }

    /// The EPC Gen2 tag CRC over the PC word and the EPC, as a tag backscatters it and as it sits
    /// in the EPC bank's StoredCRC word. Readers and the identity layer use it to tell a tag's real
    /// EPC from a mis-read one.
    @inlinable
    public static func gen2<C: Sequence>(pcAndEPC bytes: C) -> UInt16 where C.Element == UInt8 {
        genibus(bytes)
    }

    /// ThingMagic Mercury's frame CRC, computed over LEN, opcode, [status,] data.
    ///
    /// The Mercury API's `tm_crc` starts at 0xFFFF and shifts the data into the register
    /// (nibble-wise) instead of XOR-ing it in, so it is not a textbook CRC. It equals CRC-16/AUG-CCITT
    /// over all but the last two bytes, XOR those two bytes as a big-endian word; Get Version
    /// `FF 00 03` therefore carries `1D 0C` = 0x1D0F ^ 0x0003.
    @inlinable
    public static func mercury<C: Sequence>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes { crc = updateAugmented(crc, byte) }
        return crc
    }
}
