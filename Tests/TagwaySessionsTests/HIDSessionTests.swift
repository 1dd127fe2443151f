import Testing
import TagwayHID
import TagwayModel
@testable import TagwaySessions

/// A HID reader's session: reports, the inter-key deadline, absence and refusal, the EM4100 rewrite.
@Suite struct HIDSessionTests {
    typealias T = SessionTest

    private func typing(_ machine: inout Machine, _ id: ConnectionID, _ reports: [[UInt8]], at time: Timestamp) -> [ReaderSessionAction] {
        reports.flatMap { machine.handle(.report(id, $0, at: time)) }
    }

    @Test func aKeyboardWedgeEM4100ReadersTypedIDBecomesATag() {
        var machine = T.hid(technology: "em4100")
        let id = T.connect(&machine, decoder: T.keyboard)
        let actions = typing(&machine, id, T.typed("0100e2850e"), at: T.at(5))
        #expect(T.frames(actions) == [T.em4100Tag])
        #expect(actions.contains(.health(.received(frames: 1, bytes: nil, at: T.at(5)))))
    }

    @Test func aBarcodeScannersTenDigitsStayABarcode() {
        var machine = T.hid(technology: "barcode")
        let id = T.connect(&machine, decoder: T.keyboard)
        let frames = T.frames(typing(&machine, id, T.typed("0100e2850e"), at: T.t0))
        #expect(frames == [.barcode(BarcodeScan(data: Array("0100e2850e".utf8)))])
    }

    @Test func aScanWithoutTerminatorIsDroppedWhenTheDeadlineFires() {
        var machine = T.hid()
        let id = T.connect(&machine, decoder: T.keyboard)
        let actions = typing(&machine, id, T.typed("12", enter: false), at: T.t0)
        let (token, delay) = T.timer(actions, .scanDeadline)!
        #expect(delay == .milliseconds(100), "the inter-key timeout")
        let fired = machine.handle(.timerFired(token, at: T.at(100)))
        #expect(T.frames(fired).isEmpty)
        var counters = ReaderCounters()
        T.counters(fired, into: &counters)
        #expect(counters[.scanProblems(.truncatedScan)] == 1)
        #expect(machine.handle(.timerFired(token, at: T.at(200))).isEmpty, "a fired deadline is not fired twice")
    }

    @Test func aMovedDeadlineMakesTheEarlierTimerStale() {
        var machine = T.hid()
        let id = T.connect(&machine, decoder: T.keyboard)
        let (early, _) = T.timer(typing(&machine, id, T.typed("1", enter: false), at: T.t0), .scanDeadline)!
        let later = typing(&machine, id, T.typed("2", enter: false), at: T.at(50))
        #expect(T.timer(later, .scanDeadline) != nil)
        #expect(machine.handle(.timerFired(early, at: T.at(100))).isEmpty)
    }

    @Test func anAbsentReaderIsAnnouncedOnceAndOpenedWhenItArrives() {
        var machine = T.hid()
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        #expect(machine.handle(.absent(id)) == [.health(.waitingForDevice)])
        let again = T.opens(machine.handle(.deviceChanged))!
        #expect(machine.handle(.absent(again)).isEmpty, "waiting is said once")
        let third = T.opens(machine.handle(.deviceAdded))!
        #expect(machine.handle(.opened(third, at: T.t0, path: "1-1", reportDecoder: T.keyboard))
            == [.health(.connected(at: T.t0, path: "1-1"))])
    }

    @Test func aRefusedReaderWaitsForAReplugNotABind() {
        var machine = T.hid()
        let id = T.opens(machine.handle(.start(at: T.t0)))!
        let refused = SessionFailure(kind: "unsupported-interface", description: "descriptor says HID POS", recovery: .waitForDevice)
        let actions = machine.handle(.openFailed(id, refused, at: T.t0))
        #expect(actions == [.health(.count(.linkFailures(kind: "unsupported-interface"), by: 1)),
                            .health(.disconnected(refused, retryIn: nil))])
        #expect(machine.handle(.deviceChanged).isEmpty, "a bind of the same device changes nothing")
        #expect(T.opens(machine.handle(.deviceAdded)) != nil, "plugged in again: worth another try")
    }

    @Test func anUnpluggedUSBReaderWaitsForItsArrivalWithoutATimer() {
        var machine = T.hid()
        let id = T.connect(&machine, decoder: T.keyboard)
        _ = typing(&machine, id, T.typed("12", enter: false), at: T.t0)
        let gone = SessionFailure(kind: "no-device", description: "no device", recovery: .waitForDevice)
        let actions = machine.handle(.unplugged(id, gone, at: T.at(10)))
        #expect(actions.first == .close(id))
        #expect(T.timer(actions, .reopen) == nil)
        var counters = ReaderCounters()
        T.counters(actions, into: &counters)
        #expect(counters[.scanProblems(.truncatedScan)] == 1, "the scan cut by the unplug")
        #expect(counters[.linkFailures(kind: "no-device")] == 1)
        let next = T.opens(machine.handle(.deviceChanged))!
        let reopened = machine.handle(.opened(next, at: T.at(20), reportDecoder: T.keyboard))
        #expect(reopened.first == .health(.count(.reconnects, by: 1)))
        #expect(T.frames(typing(&machine, next, T.typed("34"), at: T.at(30))) == [.barcode(BarcodeScan(data: Array("34".utf8)))],
                "the partial scan of the old connection does not prefix the new one")
    }

    @Test func anotherUSBFailureRetriesAfterTheBackoff() {
        var machine = T.hid()
        let id = T.connect(&machine, decoder: T.keyboard)
        let (_, delay) = T.timer(machine.handle(.unplugged(id, SessionFailure(kind: "io", description: "transfer error"), at: T.t0)), .reopen)!
        #expect(delay >= .seconds(1) && delay <= .seconds(1))
    }
}
