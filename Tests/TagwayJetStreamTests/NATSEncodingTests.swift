import Testing
@testable import TagwaySinks

/// The pieces of the NATS login the sink computes itself, without a server: base32 and CRC-16
/// of NKeys, and seeds that are not user seeds.
@Suite struct NATSEncodingTests {
    @Test func base32RoundTripsAndRefusesOtherLetters() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        }
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI") == Array("foobar".utf8))
        #expect(Base32.decode("abc") == nil, "NKeys are upper case")
        #expect(Base32.decode("A1") == nil)
    }

    @Test func crc16IsXmodem() {
        #expect(CRC16.xmodem(Array("123456789".utf8)) == 0x31C3)
        #expect(CRC16.xmodem([]) == 0)
    }

    @Test func onlyAUserSeedWithItsChecksumIsTaken() {
        var body: [UInt8] = [149, 0] + [UInt8](repeating: 7, count: 32)
        let crc = CRC16.xmodem(body)
        let good = body + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        #expect(NKeySeed(Base32.encode(good)) != nil)
        #expect(NKeySeed(Base32.encode(good) + "\n") != nil, "a seed file's line ending is not part of it")
        var corrupt = good
        corrupt[10] ^= 1
        #expect(NKeySeed(Base32.encode(corrupt)) == nil, "a wrong checksum")
        body[1] = 0x10   // another key type than a user's ('U')
        let other = CRC16.xmodem(body)
        #expect(NKeySeed(Base32.encode(body + [UInt8(other & 0xFF), UInt8(other >> 8)])) == nil)
        #expect(NKeySeed("") == nil)
    }
}
