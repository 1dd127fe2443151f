import Foundation
import Testing
@testable import TagwayGateway
import TagwayModel

/// A generator that returns fixed words, so the id's text is known.
private struct FixedWords: RandomNumberGenerator {
    var words: [UInt64]
    mutating func next() -> UInt64 { words.removeFirst() }
}

@Suite struct EventIDTests {
    @Test func theIdIsTheUUIDv7OfTheTimeAndTheRandomBits() throws {
        var rng = FixedWords(words: [0xFFFF_FFFF_FFFF_FABC, 0xFFFF_0123_4567_89AB])
        let time = Timestamp(milliseconds: 0x0190_0A1B_2C3D)
        let id = EventID.make(time: time, using: &rng)
        // 48 bits of time, version 7, 12 random bits; variant 10, 62 random bits.
        #expect(id == "01900a1b-2c3d-7abc-bfff-0123456789ab")
        let uuid = try #require(UUID(uuidString: id))
        #expect(uuid.uuidString.lowercased() == id)
    }

    @Test func idsFromTheBatchedGeneratorAreDistinctAndWellFormed() {
        var rng = BatchedSystemRandom()
        let time = Timestamp(milliseconds: 1_790_000_000_000)
        // More than one refill of the generator's 512 words.
        let ids = (0..<2000).map { _ in EventID.make(time: time, using: &rng) }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(50) {
            #expect(id.count == 36)
            #expect(Array(id)[14] == "7")
            #expect("89ab".contains(Array(id)[19]))
        }
        var other = BatchedSystemRandom()
        #expect(other.next() != rng.next(), "two generators do not share a sequence")
    }
}
