import Foundation
import Synchronization
import Testing
import TagwayDebounce
import TagwayEventLog
import TagwayModel
import TagwayTestSupport
import TagwayZones
@testable import TagwayGateway

/// The pipeline keeps the log's `assets` table equal to its engine, writes it with the events
/// that change it, and a new pipeline on the same file carries on where the old one stopped.
@Suite(.serialized) struct AssetStatePipelineTests {
    static let t0: Int64 = 1_790_000_000_000
    /// Far before every read: the departure timer never fires by itself, tests call `advance`.
    static let clock: @Sendable () -> Timestamp = { Timestamp(milliseconds: 0) }
    static let movement = MovementConfiguration(
        zones: [ZoneSpec(id: "bay-1", readPoints: ["p1"]), ZoneSpec(id: "bay-2", readPoints: ["p2"])],
        settings: MovementSettings(departAfter: .seconds(5)))
    static let tagA = TagID(bytes: [0x30, 0x14, 0x00, 0x01])
    static let tagB = TagID(bytes: [0x30, 0x14, 0x00, 0x02])

    static func pipeline(_ log: EventLog, movement: MovementConfiguration = movement, logger: CapturedLog = CapturedLog()) -> Pipeline {
        Pipeline(gatewayID: "gw", readPoints: [(point: "p1", reader: "r1"), (point: "p2", reader: "r2")],
                 debounce: DebouncerConfiguration(departAfter: .seconds(5)), movement: movement, log: log,
                 stateInterval: .seconds(60), logger: logger.logger, clock: clock)
    }

    static func read(_ p: Pipeline, _ tag: TagID, at point: String, _ t: Int64, rssi: Int = -50) async {
        let frame = ReaderFrame.tag(TagObservation(technology: .epcGen2, id: tag, rssi: rssi))
        await p.ingest(reader: point == "p1" ? "r1" : "r2", readPoint: { _ in point }, frames: [frame], time: Timestamp(milliseconds: t))
    }

    /// Every row equals what the engine holds for that asset (seq aside), and every tracked
    /// asset has its row.
    static func expectRowsMatchEngine(_ log: EventLog, _ p: Pipeline, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let rows = try log.assetStates().records
        let engine = await p.engine
        #expect(rows.count == engine.trackedAssets, sourceLocation: sourceLocation)
        for row in rows {
            let asset = try #require(engine.snapshot(of: row.tag), sourceLocation: sourceLocation)
            #expect(EngineAsset(row) == asset, sourceLocation: sourceLocation)
        }
    }

    @Test func rowsFollowTheEngineAfterEachWrite() async throws {
        let dir = temporaryDirectory("asset-rows")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let p = Self.pipeline(log)
        await Self.read(p, Self.tagA, at: "p1", Self.t0)
        var rows = try log.assetStates().records
        let arrived = try log.events(after: 0, limit: 10)
        #expect(arrived.map(\.type) == [.arrived])
        #expect(rows.count == 1)
        #expect(rows.first?.asset == arrived.first?.asset)
        #expect(rows.first?.technology == "epc-gen2")
        #expect(rows.first?.reader == "r1")
        #expect(rows.first?.zone == "bay-1")
        #expect(rows.first?.since.milliseconds == Self.t0)
        try await Self.expectRowsMatchEngine(log, p)
        // Reads with no movement: the row lags until the state write.
        for i in 1...5 { await Self.read(p, Self.tagA, at: "p1", Self.t0 + Int64(i * 100), rssi: -40) }
        #expect(try log.assetStates().records.first?.lastRead.milliseconds == Self.t0)
        #expect(await p.flushState())
        try await Self.expectRowsMatchEngine(log, p)
        #expect(try log.assetStates().records.first?.peakRSSI == -40)
        // A move: the row changes with the event, in the same transaction.
        for i in 0..<4 { await Self.read(p, Self.tagA, at: "p2", Self.t0 + 2000 + Int64(i * 100), rssi: -30) }
        rows = try log.assetStates().records
        #expect(try log.events(after: 0, limit: 10).map(\.type) == [.arrived, .moved])
        #expect(rows.first?.zone == "bay-2")
        #expect(rows.first?.reader == "r2")
        #expect(rows.first?.since.milliseconds == Self.t0 + 2100)
        #expect(await p.flushState())
        try await Self.expectRowsMatchEngine(log, p)
        // A departure removes it.
        await p.advance(to: Timestamp(milliseconds: Self.t0 + 20_000))
        #expect(try log.events(after: 0, limit: 10).map(\.type) == [.arrived, .moved, .departed])
        #expect(try log.assetStates().records.isEmpty)
        #expect(await p.shutdown() == 0)
    }

    /// A round larger than a chunk goes in several transactions of at most `OwedAssetRows.alone`
    /// rows, each built from the engine when written; the mark moves only once all are written.
    @Test func aLargeRoundIsWrittenInChunks() async throws {
        let dir = temporaryDirectory("asset-chunks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sizes = Mutex<[Int]>([])
        let log = try EventLog(directory: dir, durability: .normal, commits: { figures in
            if figures.events == 0 { sizes.withLock { $0.append(figures.events) } }
        })
        let p = Self.pipeline(log)
        let count = OwedAssetRows.alone * 2 + 10
        let tags = OwedAssetRowsTests.tags(count)
        for (i, tag) in tags.enumerated() { await Self.read(p, tag, at: "p1", Self.t0 + Int64(i)) }
        #expect(try log.events(after: 0, limit: 10_000).count == count)
        // Read again, no movement: rows lag until the state write.
        for (i, tag) in tags.enumerated() { await Self.read(p, tag, at: "p1", Self.t0 + 1000 + Int64(i), rssi: -30) }
        #expect(await p.flushState())
        #expect(sizes.withLock { $0.count } == 3, "three transactions of rows alone: \(sizes.withLock { $0 })")
        try await Self.expectRowsMatchEngine(log, p)
        #expect(try log.assetStates().records.allSatisfy { $0.peakRSSI == -30 })
        #expect(await p.stateWrittenThrough.milliseconds == Self.t0 + 1000 + Int64(count - 1) - 1)
        // Nothing read since: the next round owes only the tag read in the last round's last
        // millisecond (a read stamped in the same millisecond as its mark could still have come).
        #expect(await p.flushState())
        #expect(sizes.withLock { $0.count } == 4)
        #expect(await p.shutdown() == 0)
    }

    /// Owed rows ride with the events' transactions, at most `OwedAssetRows.withEvents` at a time,
    /// then the writer goes on with the rest alone; a row whose asset an event of that
    /// transaction names is written whole with it.
    @Test func owedRowsRideWithEventsAndNeverOverwriteAnEventsRow() async throws {
        let dir = temporaryDirectory("asset-ride")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let commits = Mutex<[Int]>([])
        let log = try EventLog(directory: dir, durability: .normal, commits: { figures in commits.withLock { $0.append(figures.events) } })
        let p = Self.pipeline(log)
        // More than a lone chunk, less than a lone chunk once a ride took its share.
        let count = OwedAssetRows.alone + OwedAssetRows.withEvents / 2
        let tags = OwedAssetRowsTests.tags(count)
        for (i, tag) in tags.enumerated() { await Self.read(p, tag, at: "p1", Self.t0 + Int64(i)) }
        for (i, tag) in tags.enumerated() { await Self.read(p, tag, at: "p1", Self.t0 + 1000 + Int64(i), rssi: -30) }
        await p.oweRows()
        commits.withLock { $0.removeAll() }
        // A move of the first tag: its event carries its whole row and the first owed rows.
        for i in 0..<4 { await Self.read(p, tags[0], at: "p2", Self.t0 + 2000 + Int64(i * 100), rssi: -20) }
        #expect(try log.events(after: 0, limit: 10_000).last?.type == .moved)
        #expect(commits.withLock { $0 } == [1, 0], "the event's transaction, then the rest of the rows in one: \(commits.withLock { $0 })")
        #expect(await p.owedRows.isEmpty)
        #expect(try log.assetStates().records.first { $0.tag == tags[0] }?.zone == "bay-2")
        // The reads of the moved tag after its event lag until the next round.
        #expect(await p.flushState())
        try await Self.expectRowsMatchEngine(log, p)
        #expect(try log.assetStates().records.filter { $0.tag != tags[0] }.allSatisfy { $0.peakRSSI == -30 })
        #expect(await p.shutdown() == 0)
    }

    /// A round whose last chunk has nothing left to write (its tags departed, their rows went with
    /// the departures) is still done: the mark moves, and the next round does not owe them again.
    @Test func aRoundWhoseTagsAllDepartedIsDone() async throws {
        let dir = temporaryDirectory("asset-gone")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let p = Self.pipeline(log)
        let count = OwedAssetRows.withEvents + 36
        let tags = OwedAssetRowsTests.tags(count)
        for (i, tag) in tags.enumerated() { await Self.read(p, tag, at: "p1", Self.t0 + Int64(i)) }
        for (i, tag) in tags.enumerated() { await Self.read(p, tag, at: "p1", Self.t0 + 1000 + Int64(i)) }
        await p.oweRows()
        // All depart in one write: its transaction takes the first chunk (every tag in it has its
        // removal instead), the next chunk finds nothing tracked.
        await p.advance(to: Timestamp(milliseconds: Self.t0 + 20_000))
        #expect(try log.events(after: 0, limit: 10_000).filter { $0.type == .departed }.count == count)
        #expect(await p.owedRows.isEmpty)
        #expect(await p.stateWrittenThrough.milliseconds == Self.t0 + 1000 + Int64(count - 1) - 1)
        #expect(try log.assetStates().records.isEmpty)
        #expect(await p.shutdown() == 0)
    }

    @Test func aFailedWriteLeavesRowsAndEventsUnwrittenAndBothLandOnRecovery() async throws {
        let fs = try Tmpfs("asset-rows-full", size: "1m")
        defer { fs.unmount() }
        let log = try EventLog(directory: fs.path + "/data", durability: .normal)
        let p = Self.pipeline(log)
        try fs.fill()
        await Self.read(p, Self.tagA, at: "p1", Self.t0)
        await Self.read(p, Self.tagB, at: "p2", Self.t0 + 10)
        #expect(await p.pendingWrites == 2)
        #expect(try log.events(after: 0, limit: 10).isEmpty)
        #expect(try log.assetStates().records.isEmpty)
        // Held: the periodic state write waits for the events.
        #expect(await p.flushState() == false)
        // Moves while held: the retry writes the rows as the engine has them then.
        for i in 0..<4 { await Self.read(p, Self.tagA, at: "p2", Self.t0 + 2000 + Int64(i * 100), rssi: -30) }
        fs.free()
        var held = await p.pendingWrites
        for _ in 0..<300 where held > 0 {
            try await Task.sleep(for: .milliseconds(50))
            held = await p.pendingWrites
        }
        #expect(held == 0)
        #expect(try log.events(after: 0, limit: 10).map(\.type) == [.arrived, .arrived, .moved])
        #expect(try log.assetStates().records.map(\.zone).sorted() == ["bay-2", "bay-2"])
        try await Self.expectRowsMatchEngine(log, p)
        #expect(await p.shutdown() == 0)
    }

    @Test func aPipelineThatDiesIsFollowedByOneThatCarriesOn() async throws {
        let dir = temporaryDirectory("asset-restart")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let logA = try EventLog(directory: dir, durability: .normal)
        let a = Self.pipeline(logA)
        for i in 0..<3 { await Self.read(a, Self.tagA, at: "p1", Self.t0 + Int64(i * 100)) }
        await Self.read(a, Self.tagB, at: "p2", Self.t0)
        await Self.read(a, Self.tagB, at: "p2", Self.t0 + 1000)
        #expect(await a.flushState())
        // Read after the last state write: lost with the process (at most `stateInterval`).
        await Self.read(a, Self.tagB, at: "p2", Self.t0 + 1500)
        let seqAtKill = try logA.assetStates().lastSeq
        // Dropped without shutdown, like a SIGKILL; a new process opens the same file.
        let logB = try EventLog(directory: dir, durability: .normal)
        let captured = CapturedLog()
        let b = Self.pipeline(logB, logger: captured)
        let stored = try logB.assetStates()
        let rowB = try #require(stored.records.first { $0.tag == Self.tagB })
        #expect(rowB.lastRead.milliseconds == Self.t0 + 1000)
        await b.restore(stored, configuredReadPoints: ["p1", "p2"], now: Timestamp(milliseconds: Self.t0 + 4000))
        #expect(captured.lines(atLeast: .notice).contains("restored 2 assets (0 departed while stopped)"))
        // Still in range: no second arrival.
        await Self.read(b, Self.tagA, at: "p1", Self.t0 + 4500)
        #expect(try logB.events(after: seqAtKill, limit: 10).isEmpty)
        await b.advance(to: Timestamp(milliseconds: Self.t0 + 30_000))
        let after = try logB.events(after: seqAtKill, limit: 10)
        #expect(after.map(\.type) == [.departed, .departed])
        // B was not read again: it departs at its last written read + departAfter, with the reason.
        #expect(after.first?.asset == rowB.asset)
        #expect(after.first?.time.milliseconds == Self.t0 + 6000)
        #expect(after.first?.reason == "not seen since restart")
        #expect(after.first?.from == "bay-2")
        #expect(after.first?.reader == "r2")
        #expect(after.last?.time.milliseconds == Self.t0 + 9500)
        #expect(after.last?.reason == nil)
        #expect(try logB.assetStates().records.isEmpty)
        #expect(await b.shutdown() == 0)
    }

    @Test func aReadPointRemovedAcrossTheRestartDepartsItsAssets() async throws {
        let dir = temporaryDirectory("asset-removed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let logA = try EventLog(directory: dir, durability: .normal)
        let a = Self.pipeline(logA)
        await Self.read(a, Self.tagA, at: "p1", Self.t0)
        await Self.read(a, Self.tagB, at: "p2", Self.t0)
        #expect(await a.shutdown() == 0)
        let seq = try logA.assetStates().lastSeq
        let logB = try EventLog(directory: dir, durability: .normal)
        let smaller = MovementConfiguration(zones: [ZoneSpec(id: "bay-1", readPoints: ["p1"])],
                                            settings: MovementSettings(departAfter: .seconds(5)))
        let b = Self.pipeline(logB, movement: smaller)
        await b.restore(try logB.assetStates(), configuredReadPoints: ["p1"], now: Timestamp(milliseconds: Self.t0 + 1000))
        let after = try logB.events(after: seq, limit: 10)
        #expect(after.map(\.type) == [.departed])
        #expect(after.first?.reason == "read point p2 removed from the configuration")
        #expect(after.first?.from == "bay-2")
        #expect(after.first?.time.milliseconds == Self.t0 + 1000)
        #expect(try logB.assetStates().records.map(\.tag) == [Self.tagA])
        #expect(await b.shutdown() == 0)
    }

    @Test func aReloadRewritesTheRowsWithTheNewZones() async throws {
        let dir = temporaryDirectory("asset-reload")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let p = Self.pipeline(log)
        await Self.read(p, Self.tagA, at: "p1", Self.t0)
        await Self.read(p, Self.tagB, at: "p2", Self.t0)
        #expect(try log.assetStates().records.map(\.zone).sorted() == ["bay-1", "bay-2"])
        await p.reconfigure(MovementConfiguration(zones: [ZoneSpec(id: "bays", readPoints: ["p1", "p2"])],
                                                  settings: MovementSettings(departAfter: .seconds(5))))
        #expect(await p.flushState())
        #expect(try log.assetStates().records.map(\.zone) == ["bays", "bays"])
        try await Self.expectRowsMatchEngine(log, p)
        // A reload is not a movement.
        #expect(try log.events(after: 0, limit: 10).map(\.type) == [.arrived, .arrived])
        #expect(await p.shutdown() == 0)
    }

    @Test func aCleanStopWritesTheExactLastRead() async throws {
        let dir = temporaryDirectory("asset-stop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir, durability: .normal)
        let p = Self.pipeline(log)
        for i in 0..<26 { await Self.read(p, Self.tagA, at: "p1", Self.t0 + Int64(i * 100), rssi: -60 + i) }
        #expect(try log.assetStates().records.first?.lastRead.milliseconds == Self.t0)
        #expect(await p.shutdown() == 0)
        let row = try #require(try log.assetStates().records.first)
        #expect(row.lastRead.milliseconds == Self.t0 + 2500)
        #expect(row.reads == 26)
        #expect(row.peakRSSI == -35)
        try await Self.expectRowsMatchEngine(log, p)
    }
}
