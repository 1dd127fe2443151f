import Testing
@testable import TagwayGateway

/// The systemd notify decisions, with time passed in: READY once started, keep-alives at half
/// the watchdog only while the pipeline beats, STATUS on change and every 5 s, STOPPING once.
@Suite struct ServiceNotifyMachineTests {
    @Test func nothingIsSentBeforeReady() {
        var machine = ServiceNotifyMachine(watchdog: .seconds(30))
        #expect(machine.tick(status: "s", lastBeat: .seconds(1), now: .seconds(1)).isEmpty)
        #expect(machine.ready(status: "2 readers", now: .seconds(2)) == ["READY=1\nSTATUS=2 readers"])
        // A second READY while running is not sent.
        #expect(machine.ready(status: "2 readers", now: .seconds(3)).isEmpty)
    }

    @Test func keepAlivesGoAtHalfTheWatchdogWhileThePipelineBeats() {
        var machine = ServiceNotifyMachine(watchdog: .seconds(10))
        _ = machine.ready(status: "s", now: .zero)
        var sentAt: [Int] = []
        for second in 0...40 {
            let now = Duration.seconds(second)
            // The pipeline beats every second until 20 s, then is wedged.
            let beat = second <= 20 ? now : .seconds(20)
            if machine.tick(status: "s", lastBeat: beat, now: now).contains("WATCHDOG=1") { sentAt.append(second) }
        }
        // Every 5 s while the beat is within the 10 s watchdog; none once it is older.
        #expect(sentAt == [0, 5, 10, 15, 20, 25, 30])
    }

    @Test func noKeepAliveWithoutAWatchdogOrABeat() {
        var plain = ServiceNotifyMachine(watchdog: nil)
        _ = plain.ready(status: "s", now: .zero)
        #expect(!plain.tick(status: "s", lastBeat: .seconds(1), now: .seconds(1)).contains("WATCHDOG=1"))
        var unbeaten = ServiceNotifyMachine(watchdog: .seconds(10))
        _ = unbeaten.ready(status: "s", now: .zero)
        #expect(!unbeaten.tick(status: "s", lastBeat: nil, now: .seconds(1)).contains("WATCHDOG=1"))
        // A zero WATCHDOG_USEC is no watchdog.
        #expect(ServiceNotifyMachine(watchdog: .zero).watchdog == nil)
    }

    @Test func statusGoesOnChangeAndEveryFiveSeconds() {
        var machine = ServiceNotifyMachine(watchdog: nil)
        _ = machine.ready(status: "a", now: .zero)
        #expect(machine.tick(status: "a", lastBeat: nil, now: .seconds(1)).isEmpty)
        #expect(machine.tick(status: "b", lastBeat: nil, now: .seconds(2)) == ["STATUS=b"])
        #expect(machine.tick(status: "b", lastBeat: nil, now: .seconds(6)).isEmpty)
        #expect(machine.tick(status: "b", lastBeat: nil, now: .seconds(7)) == ["STATUS=b"])
    }

    @Test func reloadIsBracketedAndStoppingEndsEverything() {
        var machine = ServiceNotifyMachine(watchdog: .seconds(2))
        // A reload during the start announces nothing: READY waits for the start itself.
        #expect(machine.reloading(monotonicMicroseconds: 5).isEmpty)
        #expect(machine.reloaded(status: "s", now: .zero).isEmpty)
        _ = machine.ready(status: "s", now: .zero)
        #expect(machine.reloaded(status: "s", now: .zero).isEmpty)
        #expect(machine.reloading(monotonicMicroseconds: 123) == ["RELOADING=1\nMONOTONIC_USEC=123"])
        #expect(machine.ready(status: "t", now: .seconds(1)).isEmpty)
        #expect(machine.reloaded(status: "t", now: .seconds(1)) == ["READY=1\nSTATUS=t"])
        #expect(machine.stopping() == ["STOPPING=1\nSTATUS=stopping"])
        #expect(machine.stopping().isEmpty)
        #expect(machine.tick(status: "u", lastBeat: .seconds(9), now: .seconds(9)).isEmpty)
        #expect(machine.ready(status: "u", now: .seconds(9)).isEmpty)
    }

    @Test func ticksAreFrequentEnoughForTheKeepAlive() {
        #expect(ServiceNotifyMachine(watchdog: .milliseconds(400)).tickInterval == .milliseconds(100))
        #expect(ServiceNotifyMachine(watchdog: .seconds(30)).tickInterval == .milliseconds(7500),
                "two keep-alive chances in half the watchdog, and no more wake-ups than that")
        #expect(ServiceNotifyMachine(watchdog: nil).tickInterval == nil, "no watchdog: nothing to tick for (issue 16)")
        #expect(ServiceNotifyMachine(watchdog: .zero).tickInterval == nil, "WATCHDOG_USEC=0 is no watchdog")
    }
}
