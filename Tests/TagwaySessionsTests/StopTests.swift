import Testing
import TagwayModel
@testable import TagwaySessions

/// Stop ends the session from every state; only an open connection has something to close.
@Suite struct StopTests {
    typealias T = SessionTest

    @Test func stopWhenIdle() {
        var machine = T.serial()
        #expect(machine.handle(.stop).isEmpty)
        #expect(machine.isStopped)
    }

    @Test func stopWhileOpening() {
        var machine = T.serial()
        _ = machine.handle(.start(at: T.t0))
        #expect(machine.handle(.stop).isEmpty)
        #expect(machine.isStopped)
    }

    @Test func stopWhenOpenClosesAndCountsThePartialFrame() {
        var machine = T.serial()
        let id = T.connect(&machine)
        _ = machine.handle(.bytes(id, Array(T.em4100Frame.prefix(4)), at: T.t0))
        let actions = machine.handle(.stop)
        #expect(actions == [.close(id), .health(.count(.bytesDropped(.truncated), by: 4)),
                            .health(.count(.dropEvents(.truncated), by: 1)), .health(.disconnected(nil, retryIn: nil))])
        #expect(machine.isStopped)
    }

    @Test func stopWhileBackingOffMakesTheTimerStale() {
        var machine = T.serial()
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        let (token, _) = T.timer(machine.handle(.openFailed(id, T.denied, at: T.t0)), .reopen)!
        #expect(machine.handle(.stop).isEmpty)
        #expect(machine.handle(.timerFired(token, at: T.t0)).isEmpty)
        #expect(machine.handle(.deviceAdded).isEmpty, "no open after stop")
        #expect(machine.isStopped)
    }

    @Test func stopWhileWaitingForTheDevice() {
        var machine = T.hid()
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        _ = machine.handle(.absent(id))
        #expect(machine.handle(.stop).isEmpty)
        #expect(machine.handle(.deviceAdded).isEmpty)
        #expect(machine.isStopped)
    }

    @Test func stopTwice() {
        var machine = T.serial()
        _ = T.connect(&machine)
        _ = machine.handle(.stop)
        #expect(machine.handle(.stop).isEmpty)
    }
}
