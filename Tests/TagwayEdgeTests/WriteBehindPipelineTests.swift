import Foundation
import GRDB
import Logging
import Testing
import TagwayDebounce
import TagwayEventLog
import TagwayModel
import TagwayTestSupport
@testable import TagwayGateway

/// `Pipeline.submit`, the reader sessions' way in: it returns before the commit, every event
/// still reaches the log in order, and a session past `writeAhead` waits for the log instead of
/// dropping reads. The log's commit is held back by another connection holding SQLite's write
/// lock, not by a clock.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WriteBehindPipelineTests {
    static let clock: @Sendable () -> Timestamp = { Timestamp(milliseconds: 1_790_000_000_000) }

    static func scan(_ n: Int) -> [ReaderFrame] { [.barcode(BarcodeScan(data: Array("ASSET-\(n)".utf8)))] }

    static func pipeline(_ log: EventLog, holding: HoldingPolicy = HoldingPolicy(), writeHealth: LogWriteHealth) -> Pipeline {
        Pipeline(gatewayID: "gw", readPoints: [(point: "desk", reader: "r1")], debounce: DebouncerConfiguration(), log: log,
                 holding: holding, writeHealth: writeHealth, logger: Logger(label: "test"), clock: clock)
    }

    /// Another writer on the same file: while it holds the write lock, no transaction of the log commits.
    /// Longer than any loaded machine takes to run a test: the writer blocked by `holdWriteLock`
    /// must still be waiting when the test looks, not failed by SQLite's busy timeout (which
    /// would end the wait the test is about and turn it into a retry).
    static let lockWait = Duration.seconds(600)

    static func holdWriteLock(_ log: EventLog) throws -> DatabaseQueue {
        var config = Configuration()
        config.allowsUnsafeTransactions = true
        let blocker = try DatabaseQueue(path: log.path, configuration: config)
        try blocker.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        return blocker
    }

    static func release(_ blocker: DatabaseQueue) throws {
        try blocker.writeWithoutTransaction { try $0.execute(sql: "COMMIT") }
    }

    /// Waits for `count` committed events (a busy machine may take long; the suite's time limit bounds it).
    static func committed(_ count: Int, from stream: AsyncStream<MovementEvent>) async -> Int {
        var seen = 0
        for await _ in stream {
            seen += 1
            if seen == count { break }
        }
        return seen
    }

    @Test func submitReturnsBeforeTheCommitAndEveryEventIsWrittenInOrder() async throws {
        let dir = temporaryDirectory("write-behind")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir + "/data", busyTimeout: Self.lockWait)
        let writeHealth = LogWriteHealth()
        let pipeline = Self.pipeline(log, writeHealth: writeHealth)
        let committed = log.subscribe()
        let blocker = try Self.holdWriteLock(log)
        for n in 0..<5 {
            await pipeline.submit(reader: "r1", readPoint: { _ in "desk" }, frames: Self.scan(n), time: Self.clock())
        }
        // All five returned while no commit could happen, and none waited out the lock's busy
        // timeout (that would have been a failed write).
        #expect(await pipeline.pendingWrites == 5)
        #expect(writeHealth.snapshot.failingSince == nil)
        try Self.release(blocker)
        // Committed by the pipeline's own writer, not by the stop's last writes.
        #expect(await Self.committed(5, from: committed) == 5)
        #expect(await pipeline.shutdown() == 0)
        let events = try log.events(after: 0, limit: 100)
        #expect(events.map(\.asset.raw) == (0..<5).map { "ASSET-\($0)" })
        #expect(writeHealth.snapshot.failingSince == nil)
    }

    @Test func aSessionPastWriteAheadWaitsForTheLogAndDropsNothing() async throws {
        let dir = temporaryDirectory("write-ahead")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir + "/data", busyTimeout: Self.lockWait)
        let health = LogWriteHealth()
        let pipeline = Self.pipeline(log, holding: HoldingPolicy(maxHeldEvents: 8), writeHealth: health)
        #expect(await pipeline.writeAhead == 4)
        let committed = log.subscribe()
        let blocker = try Self.holdWriteLock(log)
        let session = Task {
            for n in 0..<6 {
                await pipeline.submit(reader: "r1", readPoint: { _ in "desk" }, frames: Self.scan(n), time: Self.clock())
            }
        }
        // The fourth event reaches writeAhead: that submit waits, so no fifth is taken meanwhile.
        while await pipeline.pendingWrites < 4 { await Task.yield() }
        for _ in 0..<100 { await Task.yield() }
        #expect(await pipeline.pendingWrites == 4)
        try Self.release(blocker)
        await session.value
        #expect(await Self.committed(6, from: committed) == 6)
        #expect(await pipeline.shutdown() == 0)
        #expect(try log.events(after: 0, limit: 100).map(\.asset.raw) == (0..<6).map { "ASSET-\($0)" })
        #expect(health.snapshot.droppedReads == 0)
    }
}
