import Testing
import TagwayCapture
import TagwayModel

/// The recorder's memory bound and its drop episodes.
@Suite struct CaptureBacklogTests {
    @Test func acceptsUpToTheCapacityThenDropsAndCounts() {
        var backlog = CaptureBacklog(capacity: 1000)
        var offers: [CaptureBacklog.Offer] = []
        for _ in 0..<15 { offers.append(backlog.offer(bytes: 100)) }
        #expect(offers.prefix(10).allSatisfy { $0 == .accepted })
        #expect(offers[10] == .dropped(startsEpisode: true))
        #expect(offers.suffix(4).allSatisfy { $0 == .dropped(startsEpisode: false) })
        #expect(backlog.dropped == 5)
        #expect(backlog.pendingBytes == 1000)
    }

    @Test func anEpisodeEndsAtTheNextWriteAndANewOneIsAnnouncedAgain() {
        var backlog = CaptureBacklog(capacity: 100)
        #expect(backlog.offer(bytes: 100) == .accepted)
        #expect(backlog.offer(bytes: 1) == .dropped(startsEpisode: true))
        backlog.taken(bytes: 100)
        #expect(backlog.written() == 1)
        #expect(backlog.written() == nil)
        #expect(backlog.offer(bytes: 60) == .accepted)
        #expect(backlog.offer(bytes: 60) == .dropped(startsEpisode: true))
        #expect(backlog.dropped == 2)
    }

    @Test func failedWritesAreDropsOfTheSameEpisode() {
        var backlog = CaptureBacklog(capacity: 100)
        let first = backlog.lost(records: 3)
        let second = backlog.lost(records: 2)
        #expect(first)
        #expect(!second)
        #expect(backlog.offer(bytes: 200) == .dropped(startsEpisode: false))
        #expect(backlog.written() == 6)
        let none = backlog.lost(records: 0)
        #expect(!none)
        #expect(backlog.dropped == 6)
    }

    @Test func oversizedAndNegativeSizesCannotTrap() {
        var backlog = CaptureBacklog(capacity: 10)
        #expect(backlog.offer(bytes: Int.max) == .dropped(startsEpisode: true))
        #expect(backlog.offer(bytes: -5) == .accepted)
        backlog.taken(bytes: Int.max)
        #expect(backlog.pendingBytes == 0)
        #expect(CaptureBacklog.cost(payloadBytes: Int.max) > 0)
    }
}

/// LLRP streams cut into whole messages for `llrp` records, whatever the chunks.
@Suite struct CaptureMessageSplitterTests {
    let t = Timestamp(milliseconds: 5)

    static func message(type: UInt8, body: [UInt8]) -> [UInt8] {
        let length = 10 + body.count
        return [0x04, type, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, 0, 1] + body
    }

    @Test func wholeMessagesWhateverTheChunking() {
        let stream = Self.message(type: 0x3F, body: []) + Self.message(type: 0x3D, body: Array(0..<40)) + Self.message(type: 0x0B, body: [1, 2])
        for chunk in [1, 3, 7, 64] {
            var splitter = CaptureMessageSplitter()
            var records: [CaptureRecord] = []
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + chunk)
                records += splitter.split(Array(stream[start..<end]), at: t)
                start = end
            }
            #expect(records.map(\.kind) == [.llrp, .llrp, .llrp], "chunks of \(chunk)")
            #expect(records.flatMap(\.payload) == stream)
            #expect(splitter.remainder(at: t) == nil)
        }
    }

    @Test func aBadLengthTurnsTheRestIntoRawBytes() {
        var splitter = CaptureMessageSplitter()
        let good = Self.message(type: 0x3F, body: [])
        let records = splitter.split(good + [0x04, 0x3F, 0, 0, 0, 3, 9, 9], at: t)
        #expect(records.map(\.kind) == [.llrp, .rx])
        #expect(records.last?.payload == [0x04, 0x3F, 0, 0, 0, 3, 9, 9])
        #expect(splitter.broken)
        #expect(splitter.split([1, 2], at: t) == [CaptureRecord(time: t, kind: .rx, payload: [1, 2])])
    }

    @Test func anUnfinishedMessageIsTheRemainder() {
        var splitter = CaptureMessageSplitter()
        #expect(splitter.split(Array(Self.message(type: 0x3D, body: [1, 2, 3]).prefix(8)), at: t).isEmpty)
        #expect(splitter.remainder(at: t)?.payload.count == 8)
    }
}
