import Testing
@testable import TagwayDecoders

@Suite struct CRC16Tests {
    let check = Array("123456789".utf8)

    @Test func catalogueCheckValues() {
        // The standard check values of the CRC catalogue (reveng) for "123456789".
        #expect(CRC16.ccittFalse(check) == 0x29B1)
        #expect(CRC16.augCCITT(check) == 0xE5CC)
        #expect(CRC16.genibus(check) == 0xD64E)
        #expect(CRC16.gen2(pcAndEPC: check) == 0xD64E)
    }

    @Test func gen2CRCOfTheM100ManualExample() {
        // PC 3400 + EPC 30751FEB705C5904E3D50D70 is followed by tag CRC 3A76 in the manual's frame.
        let pcAndEPC: [UInt8] = [0x34, 0x00, 0x30, 0x75, 0x1F, 0xEB, 0x70, 0x5C, 0x59, 0x04, 0xE3, 0xD5, 0x0D, 0x70]
        #expect(CRC16.gen2(pcAndEPC: pcAndEPC) == 0x3A76)
    }

    @Test func mercuryGetVersion() {
        // `FF 00 03 1D 0C`: the CRC covers LEN and opcode.
        #expect(CRC16.mercury([0x00, 0x03]) == 0x1D0C)
        #expect(MercuryFrame.getVersion == [0xFF, 0x00, 0x03, 0x1D, 0x0C])
    }

    @Test func mercuryVendorCommandExamples() {
        // Read Tag ID Single examples from the Mercury embedded module developer's guide.
        #expect(MercuryFrame.command(0x21, [0x03, 0xE8]) == [0xFF, 0x02, 0x21, 0x03, 0xE8, 0xD5, 0x09])
        #expect(MercuryFrame.command(0x21, [0x01, 0xE8, 0x10, 0x00, 0x14])
            == [0xFF, 0x05, 0x21, 0x01, 0xE8, 0x10, 0x00, 0x14, 0x2F, 0x6D])
    }

    /// The Mercury API's own nibble-wise `tm_crc`, written out as an independent oracle.
    func tmCRC(_ bytes: [UInt8]) -> UInt16 {
        let nibbleTable: [UInt16] = [
            0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50A5, 0x60C6, 0x70E7,
            0x8108, 0x9129, 0xA14A, 0xB16B, 0xC18C, 0xD1AD, 0xE1CE, 0xF1EF,
        ]
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc = ((crc << 4) | UInt16(byte >> 4)) ^ nibbleTable[Int(crc >> 12)]
            crc = ((crc << 4) | UInt16(byte & 0x0F)) ^ nibbleTable[Int(crc >> 12)]
        }
        return crc
    }

    /// A bit-at-a-time CCITT register, the definition the table must reproduce.
    func bitwise(_ bytes: [UInt8], initial: UInt16) -> UInt16 {
        var crc = initial
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }

    @Test func agreesWithIndependentImplementations() {
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<500 {
            let length = Int.random(in: 2...300, using: &generator)
            let bytes = generator.bytes(length)
            #expect(CRC16.ccittFalse(bytes) == bitwise(bytes, initial: 0xFFFF))
            #expect(CRC16.genibus(bytes) == bitwise(bytes, initial: 0xFFFF) ^ 0xFFFF)
            #expect(CRC16.mercury(bytes) == tmCRC(bytes))
            // DESIGN §5: Mercury = AUG-CCITT over all but the last two bytes, XOR those two bytes.
            let lastWord = UInt16(bytes[length - 2]) << 8 | UInt16(bytes[length - 1])
            #expect(CRC16.mercury(bytes) == CRC16.augCCITT(bytes.dropLast(2)) ^ lastWord)
        }
    }
}
