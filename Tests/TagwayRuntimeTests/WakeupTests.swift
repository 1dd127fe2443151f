import Clocks
import Testing
import TagwayModel
import TagwayRuntime

/// The wake-up primitive on a test clock: rings, timeouts and cancellation, with nothing sleeping.
@Suite struct WakeupTests {
    static func clock(_ test: TestClock<Duration>) -> GatewayClock {
        GatewayClock(wall: { Timestamp(milliseconds: 0) }, monotonic: test)
    }

    @Test func aRingBeforeTheWaitIsRemembered() async {
        let wakeup = Wakeup()
        wakeup.ring()
        #expect(await wakeup.wait(timeout: nil, clock: Self.clock(TestClock())))
    }

    @Test func aRingIsConsumedOnce() async {
        let test = TestClock()
        let wakeup = Wakeup()
        wakeup.ring()
        wakeup.ring()
        #expect(await wakeup.wait(timeout: .seconds(1), clock: Self.clock(test)))
        let second = Task { await wakeup.wait(timeout: .seconds(1), clock: Self.clock(test)) }
        await test.advance(by: .seconds(1))
        #expect(await second.value == false)
    }

    @Test func aRingWakesTheWaiter() async {
        let test = TestClock()
        let wakeup = Wakeup()
        let waiter = Task { await wakeup.wait(timeout: .seconds(60), clock: Self.clock(test)) }
        await test.advance(by: .seconds(59))
        wakeup.ring()
        #expect(await waiter.value)
    }

    @Test func theTimeoutRunsOnTheInjectedClock() async {
        let test = TestClock()
        let wakeup = Wakeup()
        let waiter = Task { await wakeup.wait(timeout: .seconds(5), clock: Self.clock(test)) }
        await test.advance(by: .seconds(5))
        #expect(await waiter.value == false)
    }

    @Test func cancellingTheWaiterEndsTheWait() async {
        let wakeup = Wakeup()
        let waiter = Task { await wakeup.wait(timeout: nil, clock: Self.clock(TestClock())) }
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}
