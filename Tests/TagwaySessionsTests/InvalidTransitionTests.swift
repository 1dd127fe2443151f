import Testing
import TagwayModel
@testable import TagwaySessions

/// Inputs a correct shell cannot produce are programming errors: the process stops, naming the
/// state, rather than the session drifting into a state nobody designed.
@Suite struct InvalidTransitionTests {
    @Test func anOpenedNobodyAskedForStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var machine = SessionTest.serial()
            _ = machine.handle(.opened(ConnectionID(1), at: SessionTest.t0))
        }
    }

    @Test func anOpenOutcomeForAnotherConnectionStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var machine = SessionTest.serial()
            _ = machine.handle(.start(at: SessionTest.t0))
            _ = machine.handle(.openFailed(ConnectionID(7), SessionTest.denied, at: SessionTest.t0))
        }
    }

    @Test func startingTwiceStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var machine = SessionTest.serial()
            _ = machine.handle(.start(at: SessionTest.t0))
            _ = machine.handle(.start(at: SessionTest.t0))
        }
    }

    @Test func bytesForAReportReaderStopTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var machine = SessionTest.hid()
            let id = SessionTest.connect(&machine, decoder: SessionTest.keyboard)
            _ = machine.handle(.bytes(id, [0x02], at: SessionTest.t0))
        }
    }
}
