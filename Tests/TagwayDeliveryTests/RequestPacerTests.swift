import Testing
import TagwayDelivery
import TagwayModel

/// The pacing of an asset store's requests: whatever the callers' timing, no 60-second window
/// holds more request starts than the limit, and the store's own "wait" holds every request.
@Suite struct RequestPacerTests {
    /// Starts requests as the pacer allows, with callers arriving at random times (often all at
    /// once, as a batch does), and counts starts in every closed 60 s window.
    @Test(arguments: [1, 7, 60, 119, 120, 600, 6000])
    func noMinuteEverHoldsMoreThanTheLimit(limit: Int) {
        var pacer = RequestPacer(requestsPerMinute: limit)
        var rng = SplitMix64(seed: UInt64(limit))
        var now: Int64 = 0
        var starts: [Int64] = []
        for _ in 0..<(limit * 3 + 50) {
            // Sometimes the caller comes back at once, sometimes after a pause.
            if rng.next() % 4 == 0 { now += Int64(rng.next() % 5_000) }
            let wait = pacer.reserve(now: MonotonicInstant(milliseconds: now))
            #expect(wait >= .zero)
            now += wait.wholeMilliseconds
            starts.append(now)
        }
        var low = 0
        for (high, start) in starts.enumerated() {
            while starts[low] < start - 60_000 { low += 1 }
            #expect(high - low + 1 <= limit, "\(high - low + 1) starts in the minute ending at \(start) ms")
        }
        #expect(pacer.started == starts.count)
    }

    @Test func evenSpacingIsJustOverAMinuteOverTheLimit() {
        #expect(RequestPacer(requestsPerMinute: 60).interval == .milliseconds(1_001))
        #expect(RequestPacer(requestsPerMinute: 120).interval == .milliseconds(501))
        #expect(RequestPacer(requestsPerMinute: 0).requestsPerMinute == 1, "clamped, never a division by zero")
        #expect(RequestPacer(requestsPerMinute: .max).interval == .milliseconds(2))
    }

    @Test func anIdleCallerStartsAtOnce() {
        var pacer = RequestPacer(requestsPerMinute: 60)
        #expect(pacer.reserve(now: MonotonicInstant(milliseconds: 0)) == .zero)
        #expect(pacer.reserve(now: MonotonicInstant(milliseconds: 0)) == .milliseconds(1_001))
        #expect(pacer.reserve(now: MonotonicInstant(milliseconds: 90_000)) == .zero, "a pause longer than the interval costs nothing")
        #expect(pacer.waited == .milliseconds(1_001))
    }

    @Test func theStoresHoldOffDelaysEveryLaterRequest() {
        var pacer = RequestPacer(requestsPerMinute: 120)
        _ = pacer.reserve(now: MonotonicInstant(milliseconds: 1_000))
        pacer.holdOff(until: MonotonicInstant(milliseconds: 31_000))
        #expect(pacer.nextSlot(after: MonotonicInstant(milliseconds: 2_000)) == MonotonicInstant(milliseconds: 31_000))
        #expect(pacer.reserve(now: MonotonicInstant(milliseconds: 2_000)) == .milliseconds(29_000))
        #expect(pacer.reserve(now: MonotonicInstant(milliseconds: 2_000)) == .milliseconds(29_501))
        pacer.holdOff(until: MonotonicInstant(milliseconds: 10_000))
        #expect(pacer.nextSlot(after: MonotonicInstant(milliseconds: 2_000)) == MonotonicInstant(milliseconds: 32_002),
                "an earlier hold never brings the next slot forward")
    }

    @Test func aReleasedSlotIsTakenByTheNextCaller() {
        var pacer = RequestPacer(requestsPerMinute: 60)
        _ = pacer.reserve(now: MonotonicInstant(milliseconds: 0))
        #expect(pacer.reserve(now: MonotonicInstant(milliseconds: 0)) == .milliseconds(1_001))
        pacer.release(now: MonotonicInstant(milliseconds: 500))
        #expect(pacer.reserve(now: MonotonicInstant(milliseconds: 500)) == .milliseconds(501))
        #expect(pacer.started == 2)
    }
}
