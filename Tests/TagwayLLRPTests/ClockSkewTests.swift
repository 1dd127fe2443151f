import Testing
import TagwayModel
import TagwaySessions
@testable import TagwayLLRP

/// Reader timestamps on the gateway's clock: within the bound the reader's precision, beyond it
/// the arrival time, uptime clocks always; reads in order, never after they arrived.
@Suite struct ClockSkewTests {
    typealias T = ConversationTest

    @Test func theSkewIsTheLeastDelayedSample() {
        var estimator = ClockSkewEstimator(maxSkew: .seconds(2))
        // The reader is 800 ms ahead; reports arrive 5 to 40 ms after their last read.
        for (n, delay) in [40, 5, 22, 31].enumerated() {
            let read = Int64(n * 1000)
            #expect(estimator.add(latest: T.readerUTC(read, skewMs: 800), receivedAt: T.at(read + Int64(delay))) == nil)
        }
        #expect(estimator.skew == .milliseconds(795))
        #expect(estimator.readerClockUsed == true)
        #expect(estimator.seenAt(T.readerUTC(5000, skewMs: 800), receivedAt: T.at(5030)) == T.at(5005))
    }

    @Test func aClockBeyondTheBoundIsNotUsedAndSaidOnce() {
        var estimator = ClockSkewEstimator(maxSkew: .seconds(2))
        let ahead: Int64 = (3 * 3600 + 2 * 60) * 1000
        let notice = estimator.add(latest: T.readerUTC(0, skewMs: ahead), receivedAt: T.at(0))
        #expect(notice == "reader clock is 3 h 2 min ahead of the gateway; using the gateway's clock for its reads")
        #expect(estimator.add(latest: T.readerUTC(1000, skewMs: ahead), receivedAt: T.at(1010)) == nil, "said once")
        #expect(estimator.readerClockUsed == false)
        #expect(estimator.seenAt(T.readerUTC(1000, skewMs: ahead), receivedAt: T.at(1010)) == T.at(1010))
    }

    @Test func aClockBehindIsSaidSoAndComesBackWhenFixed() {
        var estimator = ClockSkewEstimator(maxSkew: .seconds(2), window: 4)
        let notice = estimator.add(latest: T.readerUTC(0, skewMs: -45_000), receivedAt: T.at(0))
        #expect(notice?.hasPrefix("reader clock is 45 s behind the gateway") == true)
        // The reader's clock is set right: once the old samples leave the window, it is trusted again.
        var notices: [String] = []
        for n in 1...4 {
            if let said = estimator.add(latest: T.readerUTC(Int64(n * 1000)), receivedAt: T.at(Int64(n * 1000 + 3))) { notices.append(said) }
        }
        #expect(notices.count == 1)
        #expect(notices.first?.contains("back within 2 s") == true)
        #expect(estimator.readerClockUsed == true)
    }

    @Test func oldSamplesAgeOut() {
        var estimator = ClockSkewEstimator(maxSkew: .seconds(2), window: 64, maxAge: .seconds(60))
        _ = estimator.add(latest: T.readerUTC(0, skewMs: 500), receivedAt: T.at(0))
        _ = estimator.add(latest: T.readerUTC(61_000, skewMs: 100), receivedAt: T.at(61_000))
        #expect(estimator.skew == .milliseconds(100))
    }

    @Test func uptimeClocksAreAlwaysUsable() {
        var estimator = ClockSkewEstimator(maxSkew: .seconds(2))
        // Booted 3 days before t0: uptime = gateway time − boot.
        let boot = T.t0.milliseconds - 3 * 86_400_000
        func uptime(_ ms: Int64) -> LLRPTimestamp { .uptime(microseconds: UInt64((T.t0.milliseconds + ms - boot) * 1000)) }
        #expect(estimator.add(latest: uptime(100), receivedAt: T.at(112)) == nil)
        #expect(estimator.readerClockUsed == true)
        #expect(estimator.skew == nil, "a boot time is not a skew")
        // The least delay seen (12 ms) stays in the mapping: reads are placed no earlier than that.
        #expect(estimator.seenAt(uptime(150), receivedAt: T.at(170)) == T.at(162))
    }

    @Test func readsAreOrderedAndClampedToTheirArrival() {
        var timeline = ReadTimeline()
        func read(_ n: UInt8, _ ms: Int64?) -> TagObservation {
            TagObservation(technology: .epcGen2, id: TagID(bytes: [n]), seenAt: ms.map(T.at))
        }
        let first = timeline.order([read(1, 900), read(2, 700), read(3, 1200), read(4, 700)], receivedAt: T.at(1000))
        #expect(first.map(\.id) == [TagID(bytes: [2]), TagID(bytes: [4]), TagID(bytes: [1]), TagID(bytes: [3])], "sorted, ties in order")
        #expect(first.map(\.seenAt) == [T.at(700), T.at(700), T.at(900), T.at(1000)], "never after the arrival")
        let second = timeline.order([read(5, 800), read(6, nil)], receivedAt: T.at(2000))
        #expect(second.map(\.seenAt) == [T.at(1000), T.at(2000)], "never before the last emitted; no time: the arrival")
    }

    @Test func theConversationFallsBackToArrivalForAFarOffClock() throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        try T.configure(&conversation)
        let hours: Int64 = 5 * 3600 * 1000
        let step = conversation.received(T.bytes(.roAccessReport([
            TagReport(epc: T.epcA, lastSeen: T.readerUTC(1000, skewMs: hours)),
        ]), id: 1), at: T.at(1000))
        #expect(T.tags(step).map(\.seenAt) == [T.at(1000)])
        #expect(step.notices == ["reader clock is 5 h ahead of the gateway; using the gateway's clock for its reads"])
        #expect(T.details(step)?.readerClockUsed == false)
        #expect(T.details(step)?.clockSkew == .milliseconds(hours))
    }

    @Test func readsOfSeveralReportsInOneStepAreOrdered() throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        try T.configure(&conversation)
        let bytes = T.bytes(.roAccessReport([TagReport(epc: T.epcA, lastSeen: T.readerUTC(990))]), id: 1)
            + T.bytes(.roAccessReport([TagReport(epc: T.epcB, lastSeen: T.readerUTC(940))]), id: 2)
        let step = conversation.received(bytes, at: T.at(1000))
        #expect(T.tags(step).map(\.id) == [TagID(bytes: T.epcB), TagID(bytes: T.epcA)])
        // The first report's 10 ms delay is the least seen: both reads are placed 10 ms later.
        #expect(T.tags(step).map(\.seenAt) == [T.at(950), T.at(1000)])
    }
}
