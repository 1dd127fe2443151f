import Testing
import TagwayModel
@testable import TagwaySessions

/// Opening, failing, backing off and reopening, without a clock: timers are tokens the test fires.
@Suite struct ReconnectTests {
    typealias T = SessionTest

    @Test func startOpensAndSuccessReportsConnected() {
        var machine = T.serial()
        let actions = machine.handle(.start(at: T.t0))
        #expect(actions == [.open(ConnectionID(1))])
        let opened = machine.handle(.opened(ConnectionID(1), at: T.t0, path: "/dev/ttyUSB0"))
        #expect(opened == [.health(.connected(at: T.t0, path: "/dev/ttyUSB0"))], "the first connection is not a reconnect")
        #expect(machine.openConnection == ConnectionID(1))
    }

    @Test func failedOpensBackOffGrowingCappedAndJittered() {
        var machine = T.serial(backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(1)))
        var id = T.opens(machine.handle(.start(at: T.t0)))!
        var delays: [Duration] = []
        var counters = ReaderCounters()
        for _ in 0..<8 {
            let actions = machine.handle(.openFailed(id, T.denied, at: T.t0))
            T.counters(actions, into: &counters)
            let (token, delay) = T.timer(actions, .reopen)!
            #expect(actions.contains(.health(.disconnected(T.denied, retryIn: delay))))
            delays.append(delay)
            id = T.opens(machine.handle(.timerFired(token, at: T.t0)))!
        }
        // Ceilings 100, 200, 400, 800, then capped at 1000 ms; full jitter picks within [100, ceiling].
        let ceilings: [Int64] = [100, 200, 400, 800, 1000, 1000, 1000, 1000]
        for (delay, ceiling) in zip(delays, ceilings) {
            #expect(delay >= .milliseconds(100) && delay <= .milliseconds(ceiling), "\(delay) within \(ceiling) ms")
        }
        #expect(Set(delays.suffix(4)).count > 1, "jittered: capped delays differ")
        #expect(counters[.linkFailures(kind: "permission-denied")] == 8)
    }

    @Test func theSameSeedGivesTheSameDelays() {
        func delays(seed: UInt64) -> [Duration] {
            var machine = T.serial(seed: seed)
            var id = T.opens(machine.handle(.start(at: T.t0)))!
            var result: [Duration] = []
            for _ in 0..<5 {
                let (token, delay) = T.timer(machine.handle(.openFailed(id, T.denied, at: T.t0)), .reopen)!
                result.append(delay)
                id = T.opens(machine.handle(.timerFired(token, at: T.t0)))!
            }
            return result
        }
        #expect(delays(seed: 1) == delays(seed: 1))
        #expect(delays(seed: 1) != delays(seed: 2))
    }

    @Test func aSuccessfulOpenResetsTheBackoff() {
        var machine = T.serial(backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(60)))
        var id = T.opens(machine.handle(.start(at: T.t0)))!
        for _ in 0..<6 {
            let (token, _) = T.timer(machine.handle(.openFailed(id, T.denied, at: T.t0)), .reopen)!
            id = T.opens(machine.handle(.timerFired(token, at: T.t0)))!
        }
        _ = machine.handle(.opened(id, at: T.t0))
        let (_, delay) = T.timer(machine.handle(.unplugged(id, T.lost, at: T.t0)), .reopen)!
        #expect(delay <= .milliseconds(100), "the first retry after a good connection waits the initial delay")
    }

    @Test func unplugMidReadEmitsEarlierFramesThenReconnects() {
        var machine = T.serial()
        let id = T.connect(&machine)
        let frame = T.em4100Frame
        let first = machine.handle(.bytes(id, frame + Array(frame.prefix(5)), at: T.at(10)))
        #expect(T.frames(first) == [T.em4100Tag], "the complete frame before the unplug is emitted")
        let unplugged = machine.handle(.unplugged(id, T.lost, at: T.at(20)))
        #expect(unplugged.first == .close(id))
        var counters = ReaderCounters()
        T.counters(unplugged, into: &counters)
        #expect(counters[.bytesDropped(.truncated)] == 5, "the cut frame's bytes are counted, not carried over")
        #expect(counters[.linkFailures(kind: "io")] == 1)
        let (token, _) = T.timer(unplugged, .reopen)!
        let next = T.opens(machine.handle(.timerFired(token, at: T.at(300))))!
        #expect(next != id)
        let reopened = machine.handle(.opened(next, at: T.at(300)))
        #expect(reopened == [.health(.count(.reconnects, by: 1)), .health(.connected(at: T.at(300), path: nil))])
        #expect(T.frames(machine.handle(.bytes(next, frame, at: T.at(310)))) == [T.em4100Tag],
                "the new connection starts clean")
    }

    @Test func aStreamThatEndsWithoutErrorReconnectsWithoutCountingAFailure() {
        var machine = T.serial()
        let id = T.connect(&machine)
        let actions = machine.handle(.unplugged(id, nil, at: T.t0))
        #expect(actions.contains(where: { if case .health(.count) = $0 { true } else { false } }) == false)
        #expect(T.timer(actions, .reopen) != nil)
    }

    @Test func udevArrivalCutsTheBackoffShortAndMakesItsTimerStale() {
        var machine = T.serial()
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        let (token, _) = T.timer(machine.handle(.openFailed(id, T.denied, at: T.t0)), .reopen)!
        let next = T.opens(machine.handle(.deviceAdded))
        #expect(next == ConnectionID(2))
        _ = machine.handle(.opened(next!, at: T.t0))
        #expect(machine.handle(.timerFired(token, at: T.at(250))).isEmpty, "the backoff timer is stale once reopened")
        #expect(machine.openConnection == next)
    }

    @Test func udevArrivalWhileOpenOrOpeningIsIgnored() {
        var machine = T.serial()
        _ = machine.handle(.start(at: T.t0))
        #expect(machine.handle(.deviceAdded).isEmpty)
        _ = machine.handle(.opened(ConnectionID(1), at: T.t0))
        #expect(machine.handle(.deviceAdded).isEmpty)
        #expect(machine.handle(.deviceChanged).isEmpty)
    }

    @Test func inputOfAClosedConnectionIsIgnored() {
        var machine = T.serial()
        let old = T.connect(&machine)
        let (token, _) = T.timer(machine.handle(.unplugged(old, T.lost, at: T.t0)), .reopen)!
        let new = T.opens(machine.handle(.timerFired(token, at: T.t0)))!
        _ = machine.handle(.opened(new, at: T.t0))
        #expect(machine.handle(.bytes(old, T.em4100Frame, at: T.t0)).isEmpty)
        #expect(machine.handle(.unplugged(old, T.lost, at: T.t0)).isEmpty)
        #expect(machine.handle(.inputPaused(old, total: 3)).isEmpty)
        #expect(machine.openConnection == new)
    }

    @Test func staleTimerTokensAreIgnoredInEveryState() {
        var machine = T.serial()
        let stale = TimerToken(purpose: .reopen, serial: 999)
        #expect(machine.handle(.timerFired(stale, at: T.t0)).isEmpty, "idle")
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        #expect(machine.handle(.timerFired(stale, at: T.t0)).isEmpty, "opening")
        let (token, _) = T.timer(machine.handle(.openFailed(id, T.denied, at: T.t0)), .reopen)!
        #expect(machine.handle(.timerFired(stale, at: T.t0)).isEmpty, "backing off")
        #expect(machine.handle(.timerFired(TimerToken(purpose: .command, serial: token.serial), at: T.t0)).isEmpty,
                "a token of another purpose")
        let next = T.opens(machine.handle(.timerFired(token, at: T.t0)))!
        _ = machine.handle(.opened(next, at: T.t0))
        #expect(machine.handle(.timerFired(token, at: T.t0)).isEmpty, "open: the fired reopen timer again")
        _ = machine.handle(.stop)
        #expect(machine.handle(.timerFired(token, at: T.t0)).isEmpty, "stopped")
    }
}
