import Clocks
import Synchronization
import Testing
import TagwayModel
import TagwayRuntime

/// The wake-up primitive on a test clock: rings, timeouts and cancellation, with nothing sleeping.
@Suite struct WakeupTests {
    static func clock(_ test: TestClock<Duration>) -> GatewayClock {
        GatewayClock(wall: { Timestamp(milliseconds: 0) }, monotonic: test)
    }

    /// Advances `test` by `step` until `wait` has returned: a waiter that has not reached its
    /// sleep yet when the clock moves (a busy machine) is caught by the next step, so the test
    /// neither hangs nor depends on scheduling.
    static func advance(_ test: TestClock<Duration>, by step: Duration, until wait: @escaping @Sendable () async -> Bool) async -> Bool {
        let result = Mutex<Bool?>(nil)
        let waiter = Task { let r = await wait(); result.withLock { $0 = r } }
        while result.withLock({ $0 }) == nil {
            await test.advance(by: step)
            await Task.yield()
        }
        await waiter.value
        return result.withLock { $0 } ?? false
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
        #expect(await Self.advance(test, by: .seconds(1)) { await wakeup.wait(timeout: .seconds(1), clock: Self.clock(test)) } == false)
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
        #expect(await Self.advance(test, by: .seconds(5)) { await wakeup.wait(timeout: .seconds(5), clock: Self.clock(test)) } == false)
    }

    @Test func cancellingTheWaiterEndsTheWait() async {
        let wakeup = Wakeup()
        let waiter = Task { await wakeup.wait(timeout: nil, clock: Self.clock(TestClock())) }
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}
