import Testing
import TagwayModel
@testable import TagwayGateway

/// The state write's round: owed tags taken in order, in chunks; its mark only once all of it
/// is written; a failure ends it without the mark.
@Suite struct OwedAssetRowsTests {
    static func tags(_ n: Int) -> [TagID] {
        (0..<n).map { TagID(bytes: [0x30, UInt8(truncatingIfNeeded: $0 >> 16), UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)]) }
    }

    @Test func chunksComeInOrderAndTheMarkOnlyAtTheEnd() {
        var owed = OwedAssetRows()
        #expect(owed.isEmpty)
        owed.owe(Self.tags(10), through: Timestamp(milliseconds: 99))
        #expect(owed.count == 10)
        #expect(Array(owed.take(4)) == Array(Self.tags(10)[0..<4]))
        #expect(owed.completed() == nil, "six still owed")
        #expect(Array(owed.take(4)) == Array(Self.tags(10)[4..<8]))
        #expect(Array(owed.take(4)) == Array(Self.tags(10)[8..<10]))
        #expect(owed.isEmpty)
        #expect(owed.take(4).isEmpty)
        #expect(owed.completed() == Timestamp(milliseconds: 99))
        #expect(owed.completed() == nil, "a mark is given once")
    }

    @Test func anEmptyRoundCompletesAtOnce() {
        var owed = OwedAssetRows()
        owed.owe([], through: Timestamp(milliseconds: 5))
        #expect(owed.isEmpty)
        #expect(owed.completed() == Timestamp(milliseconds: 5))
    }

    @Test func aFailureEndsTheRoundWithoutItsMark() {
        var owed = OwedAssetRows()
        owed.owe(Self.tags(10), through: Timestamp(milliseconds: 99))
        _ = owed.take(3)
        owed.abandon()
        #expect(owed.isEmpty)
        #expect(owed.completed() == nil)
    }

    @Test(arguments: [-1, 0])
    func aLimitBelowOneTakesNothing(_ limit: Int) {
        var owed = OwedAssetRows()
        owed.owe(Self.tags(3), through: Timestamp(milliseconds: 1))
        #expect(owed.take(limit).isEmpty)
        #expect(owed.count == 3)
    }

    /// A large round goes in at most `loneTransactions` transactions of its own; a small one in
    /// chunks of `alone`.
    @Test(arguments: [(10, OwedAssetRows.alone), (2_048, OwedAssetRows.alone), (2_049, 257), (100_000, 12_500)])
    func loneChunksGrowWithTheRound(_ size: Int, _ limit: Int) {
        var owed = OwedAssetRows()
        owed.owe(Self.tags(size), through: Timestamp(milliseconds: 1))
        #expect(owed.aloneLimit == limit)
        var transactions = 0
        while !owed.isEmpty {
            _ = owed.take(owed.aloneLimit)
            transactions += 1
        }
        #expect(transactions <= OwedAssetRows.loneTransactions)
    }
}
