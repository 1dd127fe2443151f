import Testing
import TagwayDecoders
import TagwayModel
@testable import TagwaySessions

/// A commanded reader's startup commands after every open, then its poll on a timer.
@Suite struct PollingTests {
    typealias T = SessionTest
    static let plan = PollingPlan(startup: [[0xA1], [0xA2]], poll: [0xBB], interval: .milliseconds(500))

    /// Sends of one open: startup commands spaced 20 ms, then the poll every interval.
    private func commands(_ machine: inout Machine, _ first: [ReaderSessionAction], polls: Int) -> [([UInt8], Duration)] {
        var actions = first
        var result: [([UInt8], Duration)] = []
        for _ in 0..<(Self.plan.startup.count + polls) {
            let (token, delay) = T.timer(actions, .command)!
            result.append((T.sent(actions).first!, delay))
            actions = machine.handle(.timerFired(token, at: T.t0))
        }
        return result
    }

    @Test func startupCommandsThenPollsAfterEveryOpen() {
        var machine = T.serial(polling: Self.plan)
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        let sends = commands(&machine, machine.handle(.opened(id, at: T.t0)), polls: 3)
        #expect(sends.map { $0.0 } == [[0xA1], [0xA2], [0xBB], [0xBB], [0xBB]])
        #expect(sends.map { $0.1 } == [.milliseconds(20), .milliseconds(20), .milliseconds(500), .milliseconds(500), .milliseconds(500)])

        let (reopen, _) = T.timer(machine.handle(.unplugged(id, T.lost, at: T.t0)), .reopen)!
        let next = T.opens(machine.handle(.timerFired(reopen, at: T.t0)))!
        let again = commands(&machine, machine.handle(.opened(next, at: T.t0)), polls: 1)
        #expect(again.map { $0.0 } == [[0xA1], [0xA2], [0xBB]], "the startup commands again after the reopen")
    }

    @Test func aPollOnlyReaderPollsAtOnce() {
        var machine = T.serial(polling: PollingPlan(poll: [0xBB], interval: .seconds(1)))
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        let actions = machine.handle(.opened(id, at: T.t0))
        #expect(T.sent(actions) == [[0xBB]])
        #expect(T.timer(actions, .command)?.delay == .seconds(1))
    }

    @Test func pollTimersOfAClosedConnectionAreStale() {
        var machine = T.serial(polling: Self.plan)
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        let (token, _) = T.timer(machine.handle(.opened(id, at: T.t0)), .command)!
        _ = machine.handle(.unplugged(id, T.lost, at: T.t0))
        #expect(machine.handle(.timerFired(token, at: T.t0)).isEmpty, "nothing is sent to a closed port")
    }

    @Test func aReaderThatTalksOnItsOwnGetsNoCommands() {
        var machine = T.serial()
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        #expect(machine.handle(.opened(id, at: T.t0)) == [.health(.connected(at: T.t0, path: nil))])
    }
}
