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
}
