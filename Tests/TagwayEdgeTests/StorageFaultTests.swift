#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TagwayModel
import TagwayTestSupport
@testable import TagwayEventLog

/// The event log under storage faults, on real SQLite files: damage at several offsets, a
/// read-only file system, a full disk, the file deleted or replaced while open, and the modes
/// of what it creates whatever the umask.
@Suite(.serialized) struct StorageFaultTests {
    /// Where damage is written into a closed log of a few thousand events.
    enum Damage: String, CaseIterable, Sendable {
        case header         // the first bytes: "SQLite format 3"
        case headerFields   // page size and the like, past the magic string
        case middlePage     // a b-tree page header in the middle of the file
        case lastPage       // the page header of the last page
        case middleContent  // cell bytes inside a page (SQLite may not see this at all)
    }

    static func makeLog(_ dir: String, events: Int = 3000) async throws -> String {
        let log = try EventLog(directory: dir, durability: .normal)
        for start in stride(from: 0, to: events, by: 500) {
            _ = try await log.append((start..<min(events, start + 500)).map { sampleEvent($0) })
        }
        try log.close()  // WAL checkpointed into the file and removed: the damage is not masked
        return log.path
    }

    static func damage(_ path: String, _ damage: Damage) throws {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let pages = size / 4096
        let offset: Int
        switch damage {
        case .header: offset = 0
        case .headerFields: offset = 16
        case .middlePage: offset = (pages / 2) * 4096
        case .lastPage: offset = (pages - 1) * 4096
        case .middleContent: offset = (pages / 2) * 4096 + 2048
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        handle.write(Data(repeating: 0xFF, count: 16))
    }

    @Test(arguments: Damage.allCases)
    func damageStopsTheStartOrFailsTheReadLoudly(_ kind: Damage) async throws {
        let dir = temporaryDirectory("damage-\(kind.rawValue)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try await Self.makeLog(dir)
        try Self.damage(path, kind)
        let damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            let log = try EventLog(directory: dir)
            // SQLite saw nothing at the start: every read must still either succeed or fail typed.
            #expect(kind == .middleContent, "damage at \(kind) was not found by the start check")
            var after: Int64 = 0
            while let batch = try? log.events(after: after, limit: 500), let last = batch.last?.seq { after = last }
        } catch {
            #expect(error.isFatal, "\(error)")
            #expect(error.description.contains("Tagway has not changed the file"), "\(error)")
            #expect(error.description.contains(".damaged-"), "\(error)")
        }
        // Never deleted, never changed.
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        let firstDiff = zip(after, damaged).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(after == damaged, "size \(damaged.count) -> \(after.count), first difference at \(firstDiff ?? -1), files \((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])")
    }

    @Test func aReadOnlyFileSystemStopsTheStart() async throws {
        let fs = try Tmpfs("ro-log")
        defer { fs.unmount() }
        let dir = fs.path + "/data"
        _ = try await Self.makeLog(dir, events: 10)
        try fs.remount(readOnly: true)
        #expect {
            _ = try EventLog(directory: dir)
        } throws: { error in
            guard case EventLogError.notWritable = error else { return false }
            return (error as? EventLogError)?.isFatal == true
        }
    }

    @Test func aReadOnlyLogFileStopsTheStart() async throws {
        let dir = temporaryDirectory("ro-file")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try await Self.makeLog(dir, events: 10)
        // Root ignores file modes, so the file is made immutable for the kernel instead: a
        // read-only bind mount over the directory.
        let view = dir + "-view"
        try FileManager.default.createDirectory(atPath: view, withIntermediateDirectories: true)
        defer { _ = umount2(view, Int32(MNT_DETACH)); _ = rmdir(view) }
        try #require(mount(dir, view, nil, UInt(MS_BIND), nil) == 0)
        try #require(mount(nil, view, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY), nil) == 0)
        #expect(throws: EventLogError.self) { _ = try EventLog(directory: view) }
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aFullDiskIsTransientAndNothingIsLost() async throws {
        let fs = try Tmpfs("full-log", size: "1m")
        defer { fs.unmount() }
        let log = try EventLog(directory: fs.path + "/data")
        _ = try await log.append([sampleEvent(0)])
        try fs.fill()
        var failure: EventLogError?
        var n = 1
        while failure == nil, n < 5000 {
            do { _ = try await log.append((n..<n + 50).map { sampleEvent($0) }) } catch { failure = error }
            n += 50
        }
        let error = try #require(failure)
        guard case .diskFull = error else { Issue.record("expected diskFull, got \(error)"); return }
        #expect(!error.isFatal)
        fs.free()
        let stored = try await log.append([sampleEvent(9999)])
        #expect(stored.first?.seq != nil)
        #expect(try log.events(after: 0, limit: 10_000).last?.id == stored.first?.id)
    }

    @Test func aDeletedLogFailsEveryLaterAppend() async throws {
        let dir = temporaryDirectory("deleted")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1)])
        try FileManager.default.removeItem(atPath: log.path)
        #expect(throws: EventLogError.self) { try log.verifyFile() }
        for attempt in 0..<2 {
            do {
                _ = try await log.append([sampleEvent(2 + attempt)])
                Issue.record("an append into a deleted log succeeded")
            } catch {
                guard case .replaced(_, let detail) = error else { Issue.record("\(error)"); continue }
                #expect(detail == "deleted")
                #expect(error.isFatal)
            }
        }
    }

    @Test func aReplacedLogOrWALIsFound() async throws {
        for file in [EventLog.fileName, EventLog.fileName + "-wal"] {
            let dir = temporaryDirectory("replaced")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let log = try EventLog(directory: dir)
            _ = try await log.append([sampleEvent(1)])
            let target = (dir as NSString).appendingPathComponent(file)
            let other = target + ".other"
            try Data(contentsOf: URL(fileURLWithPath: target)).write(to: URL(fileURLWithPath: other))
            #expect(rename(other, target) == 0)
            await #expect(throws: EventLogError.self) { _ = try await log.append([sampleEvent(2)]) }
            do { try log.verifyFile() } catch {
                guard case .replaced(let path, let detail) = error else { Issue.record("\(error)"); continue }
                #expect(path == target)
                #expect(detail == "replaced by another file")
            }
        }
    }

    @Test(arguments: [0o000, 0o022] as [mode_t])
    func modesDoNotFollowTheUmask(_ mask: mode_t) async throws {
        let parent = temporaryDirectory("modes")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let dir = parent + "/var/lib/tagway"
        let previous = umask(mask)
        defer { umask(previous) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1)])
        #expect(Self.mode(dir) == 0o750)
        #expect(Self.mode(parent + "/var") == 0o750)
        for file in [log.path, log.path + "-wal", log.path + "-shm"] {
            #expect(Self.mode(file) == 0o640, "\(file)")
        }
    }

    @Test func anOldWorldReadableLogIsRestricted() async throws {
        let dir = temporaryDirectory("old-modes")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try await Self.makeLog(dir, events: 3)
        #expect(chmod(path, 0o666) == 0)
        _ = try EventLog(directory: dir)
        #expect(Self.mode(path) == 0o640)
    }

    @Test func aCorruptRowIsATypedError() async throws {
        let dir = temporaryDirectory("corrupt-row")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1), sampleEvent(2)])
        try await log.pool.write { db in try db.execute(sql: "UPDATE events SET time_ms = 'not a time' WHERE seq = 2") }
        #expect {
            _ = try log.events(after: 0, limit: 10)
        } throws: { error in
            guard case EventLogError.corruptRow(let seq, _) = error else { return false }
            return seq == 2
        }
    }

    @Test func theStartCheckRecordsAWriteAndReportsIntact() async throws {
        let dir = temporaryDirectory("probe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        #expect(log.integrity == .intact)
        let started = try await log.pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last-start'") }
        #expect(started != nil)
        #expect(EventLogStartCheck.milliseconds(.seconds(Int64.max)) == Int.max)
        #expect(EventLogStartCheck.milliseconds(.zero) == 1)
        #expect(EventLogStartCheck.milliseconds(.milliseconds(1500)) == 1500)
    }

    @Test func theIntegrityCheckStopsAtItsBudgetAndTheLogStillOpens() async throws {
        let dir = temporaryDirectory("budget")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await Self.makeLog(dir, events: 20_000)
        let log = try EventLog(directory: dir, integrityBudget: .milliseconds(1))
        #expect(log.integrity == .stoppedAtBudget(.milliseconds(1)))
        // The interrupt is spent: the log works normally afterwards.
        _ = try await log.append([sampleEvent(50_000)])
        #expect(try log.lastSeq() == 20_001)
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return info.st_mode & 0o777
    }
}
