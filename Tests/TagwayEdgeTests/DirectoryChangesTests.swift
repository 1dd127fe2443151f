import Foundation
import Testing
@testable import TagwayGateway

/// The inotify record walk that lets the gateway wake on the log's WAL alone (another process
/// appending) and not on status.json's temp beside it.
@Suite struct DirectoryChangesTests {
    /// One `struct inotify_event`: wd, mask, cookie, len (little-endian), then the padded name.
    func record(_ name: String, padTo length: Int) -> [UInt8] {
        func word(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let bytes = Array(name.utf8) + [UInt8](repeating: 0, count: length - name.utf8.count)
        return word(1) + word(2) + word(0) + word(length) + bytes
    }

    @Test func namesAreReadRecordByRecord() {
        let buffer = record("events.sqlite-wal", padTo: 32) + record(".status.json.tmp", padTo: 16) + record("", padTo: 0)
        #expect(DirectoryChanges.names(in: buffer[...]) == ["events.sqlite-wal", ".status.json.tmp", ""])
    }

    @Test func aRecordCutShortEndsTheWalk() {
        let whole = record("events.sqlite-wal", padTo: 32)
        let buffer = whole + Array(record("events.sqlite", padTo: 16).prefix(20))
        #expect(DirectoryChanges.names(in: buffer[...]) == ["events.sqlite-wal"])
        #expect(DirectoryChanges.names(in: whole.prefix(10)).isEmpty)
    }

    @Test func aWriteToTheNamedFileRings() async throws {
        let dir = NSTemporaryDirectory() + "tagway-dirchanges-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/other", contents: nil)
        FileManager.default.createFile(atPath: dir + "/events.sqlite-wal", contents: nil)
        let changes = try #require(DirectoryChanges(dir, mask: DirectoryChanges.writes, names: ["events.sqlite-wal"]))
        defer { changes.cancel() }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/other"))
        try Data("y".utf8).write(to: URL(fileURLWithPath: dir + "/events.sqlite-wal"))
        #expect(await changes.wait(), "the WAL's write rings")
    }

    static func directory() throws -> String {
        let dir = NSTemporaryDirectory() + "tagway-dirchanges-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/events.sqlite-wal", contents: nil)
        return dir
    }

    /// Appends `count` bytes to `path`, one write each (as commits do).
    static func append(_ path: String, count: Int) {
        let fd = open(path, O_WRONLY | O_APPEND)
        defer { close(fd) }
        for _ in 0..<count { _ = write(fd, "z", 1) }
    }

    /// Polls (real time, at most 60 s: a loaded machine may hold the dispatch queue that long)
    /// until `done` holds for the wake count, and returns it.
    static func settle(_ changes: DirectoryChanges, until done: (Int) -> Bool) async -> Int {
        for _ in 0..<6_000 where !done(changes.wakes) { try? await Task.sleep(for: .milliseconds(10)) }
        return changes.wakes
    }

    /// A burst of writes inside the spacing is one wake, and a write after it is still heard.
    @Test func aSpacedWatchFoldsABurstIntoOneWake() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let changes = try #require(DirectoryChanges(dir, mask: DirectoryChanges.writes, names: ["events.sqlite-wal"], spacing: .seconds(3_600)))
        defer { changes.cancel() }
        Self.append(dir + "/events.sqlite-wal", count: 1)
        #expect(await Self.settle(changes) { $0 >= 1 } == 1)
        #expect(await changes.wait())
        // Resting now (for an hour: longer than any test run, however loaded the machine):
        // thousands of writes wake nothing (each would, unspaced).
        for _ in 0..<20 {
            Self.append(dir + "/events.sqlite-wal", count: 100)
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(changes.wakes == 1)
        // Cancelled while resting: the source is resumed to close (no trap at release).
        changes.cancel()
        changes.cancel()
    }

    @Test func aSpacedWatchWakesAgainAfterItsRest() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let changes = try #require(DirectoryChanges(dir, mask: DirectoryChanges.writes, names: ["events.sqlite-wal"], spacing: .milliseconds(50)))
        defer { changes.cancel() }
        Self.append(dir + "/events.sqlite-wal", count: 1)
        #expect(await changes.wait())
        Self.append(dir + "/events.sqlite-wal", count: 50)
        // Heard once the rest is over, however many writes it held (a loaded machine may stretch
        // the 50 writes past the rest's end: then they are two wakes, never none).
        #expect(await changes.wait())
        #expect(await Self.settle(changes) { $0 >= 2 } >= 2)
        // An unspaced watch wakes for each write that comes after the last was heard.
        let unspaced = try #require(DirectoryChanges(dir, mask: DirectoryChanges.writes, names: ["events.sqlite-wal"]))
        defer { unspaced.cancel() }
        for i in 1...5 {
            Self.append(dir + "/events.sqlite-wal", count: 1)
            #expect(await Self.settle(unspaced) { $0 >= i } == i)
        }
    }
}
