import Testing
import TagwayDelivery
import TagwayModel

/// The JetStream sink's window: bounded sending, a cursor over the acked prefix only, and
/// rewinds that send every unacked event again and nothing acked.
@Suite struct PublishWindowTests {
    /// Sends until the window is full.
    func fill(_ window: inout PublishWindow) -> [Int] {
        var sent: [Int] = []
        while let index = window.nextToSend() { sent.append(index) }
        return sent
    }

    @Test func sendsAtMostTheLimitAheadOfTheFirstUnacked() {
        var window = PublishWindow(count: 10, limit: 3, size: 3)
        #expect(fill(&window) == [0, 1, 2])
        #expect(window.inFlight == 3)
        window.acked(1, duplicate: false)
        #expect(window.delivered == 0, "1 is acked but 0 is not: the cursor stays")
        #expect(fill(&window) == [], "the window counts from the first unacked event")
        window.acked(0, duplicate: false)
        #expect(window.delivered == 2)
        #expect(fill(&window) == [3, 4])
    }

    @Test func inOrderAcksCompleteTheBatch() {
        var window = PublishWindow(count: 5, limit: 256, size: 256)
        #expect(fill(&window) == [0, 1, 2, 3, 4])
        for i in 0..<5 {
            let moved = window.acked(i, duplicate: false)
            #expect(moved)
        }
        #expect(window.isComplete)
        let none = window.nextToSend()
        #expect(none == nil)
        #expect(window.rewinds == 0)
    }

    @Test func aFailureRewindsToTheFirstUnackedAndSkipsEarlyAcks() {
        var window = PublishWindow(count: 6, limit: 6, size: 6)
        _ = fill(&window)
        window.acked(0, duplicate: false)
        window.acked(3, duplicate: false)
        let rewound = window.failed(1)
        #expect(rewound)
        #expect(window.delivered == 1)
        #expect(window.inFlight == 0)
        #expect(fill(&window) == [1], "from a window of 1 after a rewind")
        window.acked(1, duplicate: false)
        #expect(fill(&window) == [2])
        window.acked(2, duplicate: false)
        #expect(window.delivered == 4, "3 was acked before: the cursor passes it")
        #expect(fill(&window) == [4, 5], "3 is not sent again")
        #expect(window.rewinds == 1)
    }

    @Test func staleFailuresAfterARewindAreIgnored() {
        var window = PublishWindow(count: 4, limit: 4, size: 4)
        _ = fill(&window)
        let first = window.failed(2)
        // The other sends of before the rewind fail too (the connection dropped): one rewind.
        let stale = [window.failed(3), window.failed(0)]
        #expect(first)
        #expect(stale == [false, false])
        #expect(window.rewinds == 1)
        #expect(fill(&window) == [0])
        let again = window.failed(0)
        #expect(again)
        #expect(window.rewinds == 2)
    }

    @Test func aLateAckOfAnOldSendStillCounts() {
        var window = PublishWindow(count: 3, limit: 3, size: 3)
        _ = fill(&window)
        window.timedOut()
        window.acked(0, duplicate: false)
        #expect(window.delivered == 1)
        #expect(fill(&window) == [1, 2], "the late ack opened the window again")
        window.acked(1, duplicate: false)
        window.acked(2, duplicate: false)
        #expect(window.isComplete)
    }

    @Test func theWindowOpensOneEventPerAckUpToTheLimit() {
        var window = PublishWindow(count: 100, limit: 8)
        #expect(window.size == 1)
        #expect(fill(&window) == [0])
        window.acked(0, duplicate: false)
        #expect(fill(&window) == [1, 2])
        window.acked(1, duplicate: false)
        window.acked(2, duplicate: false)
        #expect(fill(&window) == [3, 4, 5, 6], "doubles each round trip")
        for i in 3...6 { window.acked(i, duplicate: false) }
        #expect(window.size == 8)
        #expect(fill(&window).count == 8, "never past the limit")
        #expect(PublishWindow(count: 1, limit: 4, size: 99).size == 4)
        #expect(PublishWindow(count: 1, limit: 4, size: -3).size == 1)
    }

    /// The stream fails for the first events (no leader yet) and then works: the first event
    /// stored is the first event of the batch, so the stream keeps log order.
    @Test func aStreamThatStartsWorkingStoresTheFirstEventFirst() {
        var window = PublishWindow(count: 20, limit: 16, size: 16)
        var stored: [Int] = []
        var failing = 5
        _ = window.failed(fill(&window).first ?? -1)
        while !window.isComplete {
            for index in fill(&window) {
                if failing > 0 {
                    failing -= 1
                    window.failed(index)
                } else {
                    stored.append(index)
                    window.acked(index, duplicate: false)
                }
            }
        }
        #expect(stored == Array(0..<20))
    }

    @Test func aTimeoutWithNothingOutClosesTheWindow() {
        var window = PublishWindow(count: 3, limit: 8, size: 8)
        window.timedOut()
        #expect(window.size == 1)
        #expect(window.rewinds == 0)
    }

    @Test func duplicatesAreCountedOncePerEvent() {
        var window = PublishWindow(count: 3, limit: 3, size: 3)
        _ = fill(&window)
        window.acked(0, duplicate: true)
        window.acked(0, duplicate: true)
        window.acked(1, duplicate: false)
        window.acked(2, duplicate: true)
        #expect(window.duplicates == 2)
        #expect(window.isComplete)
    }

    @Test func answersOutsideTheBatchChangeNothing() {
        var window = PublishWindow(count: 2, limit: 2, size: 2)
        _ = fill(&window)
        let answers = [window.acked(-1, duplicate: false), window.acked(2, duplicate: false), window.failed(7)]
        #expect(answers == [false, false, false])
        #expect(window.delivered == 0)
    }

    @Test func aTimeoutWithNothingOutIsNoRewind() {
        var window = PublishWindow(count: 1, limit: 1)
        window.timedOut()
        #expect(window.rewinds == 0)
        #expect(PublishWindow(count: 0, limit: 0).isComplete)
        #expect(PublishWindow(count: 3, limit: 0).limit == 1, "a limit of 0 would never send")
    }

    /// Random acks, failures and timeouts: `delivered` never passes an unacked event, and the
    /// batch always completes once the stream answers everything.
    @Test(arguments: [1, 2, 3, 17, 99])
    func randomAnswersNeverSkipAnEvent(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let count = 200
        var window = PublishWindow(count: count, limit: 1 + Int(rng.next() % 32))
        var stored: Set<Int> = []
        var out: [Int] = []
        var steps = 0
        while !window.isComplete, steps < 100_000 {
            steps += 1
            while let index = window.nextToSend() { out.append(index) }
            guard !out.isEmpty else { continue }
            let pick = Int(rng.next() % UInt64(out.count))
            let index = out.remove(at: pick)
            switch rng.next() % 10 {
            case 0: window.failed(index)
            case 1: window.timedOut(); out.removeAll()
            default:
                window.acked(index, duplicate: stored.contains(index))
                stored.insert(index)
            }
            #expect((0..<window.delivered).allSatisfy(stored.contains))
        }
        #expect(window.isComplete)
    }
}
