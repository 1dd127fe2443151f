import Clocks
import Foundation
import Testing
@testable import TagwayGateway
import TagwayEventLog
import TagwayModel
import TagwayRuntime
import TagwayTestSupport

/// The status writer on a test clock: a flood of changes while a write waits out its spacing makes
/// one write at the deadline and no more (the boards ring on every chunk a reader delivers).
@Suite struct StatusFileRunTests {
    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    /// Polls (real time, at most `within`) until the file at `path` is a new one (each write
    /// renames a new file over it). A positive one may wait long: the writer runs on Swift's
    /// cooperative pool, which the parallel suite's blocking tests can hold for seconds. A
    /// negative answer waits the whole bound: half a second, long against a write that is not
    /// held back (microseconds).
    static func rewritten(_ path: String, from old: UInt64?, within: Duration = .seconds(120)) async -> Bool {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if let now = inode(path), now != old { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    @Test func changesDuringTheSpacingMakeOneWriteAtTheDeadline() async throws {
        let dir = temporaryDirectory("status-flood")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let status = BackPressureTests.statusFile(dir, log: log, writeHealth: LogWriteHealth(), logger: CapturedLog().logger)
        let test = TestClock<Duration>()
        let changes = Wakeup()
        let running = Task {
            await status.run(changes: changes, spacing: .seconds(2), timers: GatewayClock(wall: { Timestamp(milliseconds: 0) }, monotonic: test))
        }
        #expect(await Self.rewritten(status.path, from: nil), "the first write at start")
        var file = Self.inode(status.path)
        // A change right after the start: due, but not before 2 s.
        changes.ring()
        for _ in 0..<10_000 { changes.ring() }
        #expect(!(await Self.rewritten(status.path, from: file, within: .milliseconds(500))), "written before its spacing")
        // The writer sleeps on the clock by now: these come during its sleep.
        for _ in 0..<10_000 { changes.ring() }
        await test.advance(by: .seconds(2))
        #expect(await Self.rewritten(status.path, from: file), "the write due at the deadline")
        file = Self.inode(status.path)
        // The flood is in that write: nothing more is due however long nothing changes.
        await test.advance(by: .seconds(60))
        #expect(!(await Self.rewritten(status.path, from: file, within: .milliseconds(500))), "rewritten with nothing changed since the last write")
        // A new change is written at once (the last write was long ago).
        changes.ring()
        #expect(await Self.rewritten(status.path, from: file))
        running.cancel()
        await running.value
    }
}
