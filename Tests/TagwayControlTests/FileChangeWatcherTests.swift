import Foundation
import Testing
import TagwayControl
import TagwayTestSupport

/// The one inotify watcher on a real directory: a save in place, an atomic replace by rename, and
/// the stream's end on stop. Waiting for an event that must come needs no clock; the test fails
/// by its time limit if it never comes.
@Suite(.timeLimit(.minutes(1))) struct FileChangeWatcherTests {
    @Test func aSaveInPlaceIsSeen() async throws {
        let dir = TestPaths.temporaryDirectory("watch-save")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/gateway.yaml"
        try "a: 1\n".write(toFile: file, atomically: false, encoding: .utf8)
        let watcher = try FileChangeWatcher(file: file)
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        try "a: 2\n".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(await changes.next() != nil)
    }

    /// Editors and config management write a temporary file and rename it over the original:
    /// the watch is on the directory, so the replaced file is still seen, and again next time.
    @Test func anAtomicReplaceIsSeenEveryTime() async throws {
        let dir = TestPaths.temporaryDirectory("watch-rename")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/gateway.yaml"
        try "a: 1\n".write(toFile: file, atomically: false, encoding: .utf8)
        let watcher = try FileChangeWatcher(file: file)
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        for round in 2...3 {
            try "a: \(round)\n".write(toFile: dir + "/.gateway.yaml.tmp", atomically: false, encoding: .utf8)
            #expect(rename(dir + "/.gateway.yaml.tmp", file) == 0)
            #expect(await changes.next() != nil, "round \(round)")
        }
    }

    @Test func stopEndsTheStream() async throws {
        let dir = TestPaths.temporaryDirectory("watch-stop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let watcher = try FileChangeWatcher(directory: dir, events: [.modified, .created])
        var changes = watcher.changes.makeAsyncIterator()
        watcher.stop()
        watcher.stop()
        #expect(await changes.next() == nil)
    }

    @Test func aMissingDirectoryIsATypedError() {
        #expect(throws: FileChangeWatcherError.self) {
            try FileChangeWatcher(directory: "/nonexistent/tagway-watch", events: [.created])
        }
    }
}
