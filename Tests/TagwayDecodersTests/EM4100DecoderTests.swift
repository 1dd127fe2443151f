import Testing
import TagwayModel
@testable import TagwayDecoders
import TagwayEmulators

@Suite struct EM4100DecoderTests {
    let card = TagID(bytes: [0x01, 0x00, 0xE2, 0x85, 0x0E])

    @Test func decodesBothVariants() {
        var assembler = FrameAssembler(EM4100Decoder())
        let bytes = EM4100Emulator.frame(card, variant: .idInnovations) + EM4100Emulator.frame(card, variant: .rdm6300)
        let frames = assembler.feed(bytes)
        #expect(frames == [.tag(TagObservation(technology: .em4100, id: card)),
                           .tag(TagObservation(technology: .em4100, id: card))])
        #expect(assembler.drops.isEmpty)
    }

    @Test func knownChecksum() {
        // The datasheet example: 0100E2850E has checksum 68.
        #expect(Array(EM4100Emulator.frame(card, variant: .rdm6300)[11...12]) == Array("68".utf8))
    }

    @Test func badChecksumIsCountedAndResyncs() {
        var assembler = FrameAssembler(EM4100Decoder())
        var bad = EM4100Emulator.frame(card, variant: .rdm6300)
        bad[12] = UInt8(ascii: "9")
        let frames = assembler.feed(Array("noise".utf8) + bad + EM4100Emulator.frame(card, variant: .rdm6300))
        #expect(frames.count == 1)
        #expect(assembler.drops[.badChecksum] == 14)
        #expect(assembler.drops[.garbage] == 5)
    }
}
