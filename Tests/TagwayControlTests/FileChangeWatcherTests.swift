import Foundation
import Testing
import TagwayControl
import TagwayTestSupport

/// The one inotify watcher on a real directory: a save in place, an atomic replace by rename, and
/// the stream's end on stop. Waiting for an event that must come needs no clock; the test fails
/// by its time limit if it never comes.
@Suite(.timeLimit(.minutes(1))) struct FileChangeWatcherTests {
    /// Runs `body` with a directory holding `gateway.yaml` and a watcher on that file.
    static func watching(_ label: String, _ body: (_ dir: String, _ file: String, _ changes: inout AsyncStream<Void>.Iterator) async throws -> Void) async throws {
        let dir = TestPaths.temporaryDirectory(label)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/gateway.yaml"
        try "a: 1\n".write(toFile: file, atomically: false, encoding: .utf8)
        let watcher = try FileChangeWatcher(file: file)
        defer { watcher.stop() }
        var changes = watcher.changes.makeAsyncIterator()
        try await body(dir, file, &changes)
    }

    @Test func aSaveInPlaceIsSeen() async throws {
        try await Self.watching("watch-save") { _, file, changes in
            try "a: 2\n".write(toFile: file, atomically: false, encoding: .utf8)
            #expect(await changes.next() != nil)
        }
    }

    /// Editors and config management write a temporary file and rename it over the original:
    /// the watch is on the directory, so the replaced file is still seen, and again next time.
    @Test func anAtomicReplaceIsSeenEveryTime() async throws {
        try await Self.watching("watch-rename") { dir, file, changes in
            for round in 2...3 {
                try "a: \(round)\n".write(toFile: dir + "/.gateway.yaml.tmp", atomically: false, encoding: .utf8)
                #expect(rename(dir + "/.gateway.yaml.tmp", file) == 0)
                #expect(await changes.next() != nil, "round \(round)")
            }
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
