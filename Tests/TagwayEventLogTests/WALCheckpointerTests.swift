import Foundation
import GRDB
import Testing
import TagwayModel
import TagwayTestSupport
@testable import TagwayEventLog

/// The log's WAL is copied into the database file by `WALCheckpointer`, beside the writer, soon
/// after commits: long before the writer's own autocheckpoint (4,000 pages) would, the file
/// alone (without its WAL) holds every committed event. It costs nothing while nothing is
/// written, and stops with the log.
@Suite struct WALCheckpointerTests {
    /// The events the database file holds by itself: a copy of the file alone, opened without
    /// the WAL, counted. Nil when the copy cannot be read.
    static func eventsInFileAlone(_ path: String, scratch: String) -> Int? {
        let copy = scratch + "/alone.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        guard (try? FileManager.default.copyItem(atPath: path, toPath: copy)) != nil,
              let queue = try? DatabaseQueue(path: copy) else { return nil }
        return try? queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") }
    }

    @Test func committedEventsReachTheFileWithoutTheWritersCheckpoint() async throws {
        let dir = TestPaths.temporaryDirectory("wal-checkpointer")
        let scratch = TestPaths.temporaryDirectory("wal-checkpointer-copy")
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: scratch)
        }
        let log = try EventLog(directory: dir, durability: .full)
        let checkpointer = try #require(log.checkpointer)
        // Nothing written since the open: the thread sleeps.
        try await Task.sleep(for: .milliseconds(300))
        #expect(checkpointer.snapshot.checkpoints == 0)

        // 300 appends, each its own transaction: a few hundred WAL pages, far below the
        // writer's autocheckpoint.
        for i in 0..<300 { _ = try await log.append([LogIdentityTests.event(i)]) }
        var alone = Self.eventsInFileAlone(log.path, scratch: scratch)
        let deadline = ContinuousClock.now + .seconds(20)
        while alone != 300, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            alone = Self.eventsInFileAlone(log.path, scratch: scratch)
        }
        #expect(alone == 300, "the database file alone holds \(alone.map(String.init) ?? "nothing readable")")
        let figures = checkpointer.snapshot
        #expect(figures.checkpoints >= 1 && figures.lastFailure == nil, "\(figures)")
        #expect(figures.lastWALFrames < EventLog.checkpointPages, "the writer's backstop may have done it: \(figures)")

        // Idle again: no more checkpoints once the last commit's is done.
        try await Task.sleep(for: .milliseconds(400))
        let settled = checkpointer.snapshot.checkpoints
        try await Task.sleep(for: .milliseconds(400))
        #expect(checkpointer.snapshot.checkpoints == settled)

        // The log closes with its thread stopped, and reopens whole.
        try log.close()
        let reopened = try EventLog(directory: dir, durability: .full)
        #expect(try reopened.lastSeq() == 300)
        try reopened.close()
    }

    @Test func aLogOpenedToReadHasNoCheckpointer() throws {
        let dir = TestPaths.temporaryDirectory("wal-checkpointer-reader")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        #expect(log.checkpointer != nil)
        let reader = try EventLog.openExisting(directory: dir)
        #expect(reader.checkpointer == nil)
        try log.close()
    }

    /// The nice value of this process's thread named `name` (from /proc/self/task/*/stat).
    static func niceOfThread(named name: String) -> Int? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for tid in tasks {
            let comm = (try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard comm == name,
                  let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "(comm)": state is field 3; nice is field 19.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 16 ? Int(fields[16]) : nil
        }
        return nil
    }

    /// Background work: on a core shared with the pipeline, a commit's thread runs first.
    @Test func theCheckpointThreadRunsAtALowerPriority() async throws {
        let dir = TestPaths.temporaryDirectory("wal-checkpointer-nice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        var nice: Int?
        for _ in 0..<500 where nice != Int(WALCheckpointer.niceness) {
            nice = Self.niceOfThread(named: WALCheckpointer.threadName)
            try await Task.sleep(for: .milliseconds(10))
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [])
            .compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        #expect(nice == Int(WALCheckpointer.niceness), "threads: \(names)")
        try log.close()
    }

    @Test func stopEndsTheThreadAndIsIdempotent() async throws {
        let dir = TestPaths.temporaryDirectory("wal-checkpointer-stop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let checkpointer = try #require(log.checkpointer)
        checkpointer.stop()
        checkpointer.stop()
        _ = try await log.append([LogIdentityTests.event(1)])
        try await Task.sleep(for: .milliseconds(200))
        #expect(checkpointer.snapshot.checkpoints == 0, "a checkpoint after stop")
        try log.close()
    }

    /// Its connection is opened with the log, never later: a log file deleted under the gateway
    /// stays deleted (SQLite would create an empty file at the path), and the writer reports it.
    @Test func aDeletedLogIsNotRecreatedByTheCheckpointer() async throws {
        let dir = TestPaths.temporaryDirectory("wal-checkpointer-deleted")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        _ = try await log.append([LogIdentityTests.event(1)])
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: log.path + suffix) }
        log.checkpointer?.committed()
        try await Task.sleep(for: .milliseconds(300))
        #expect(!FileManager.default.fileExists(atPath: log.path))
        await #expect(throws: EventLogError.self) { _ = try await log.append([LogIdentityTests.event(2)]) }
        #expect(!FileManager.default.fileExists(atPath: log.path))
    }
}
