import Foundation
import GRDB
import Testing
import TagwayModel
@testable import TagwayEventLog

func sampleAsset(_ n: Int, zone: String = "dock", lastRead: Int64 = 1_790_000_000_000) -> AssetRecord {
    AssetRecord(tag: TagID(bytes: [0x30, UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]), isScan: false,
                technology: "epc-gen2", asset: AssetRef(key: "urn:epc:raw:24.x30\(n)", scheme: "epc-raw", raw: "30\(n)"),
                zone: zone, since: Timestamp(milliseconds: lastRead - 500), readPoint: "\(zone)-ant1", reader: "r1",
                lastRead: Timestamp(milliseconds: lastRead), lastReadInZone: Timestamp(milliseconds: lastRead),
                doorSide: .inside, leanSide: .outside, reads: n, peakRSSI: -40 - n, episodes: ["rule, with comma", "b"])
}

@Suite struct AssetStateLogTests {
    @Test func rowsAreWrittenWithTheirEventsAndReadBackWithTheNewestSeq() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let stored = try await log.append((1...3).map { sampleEvent($0) },
                                          state: AssetStateChanges(upserts: (1...3).map { sampleAsset($0) }))
        #expect(stored.map(\.seq) == [1, 2, 3])
        let snapshot = try log.assetStates()
        #expect(snapshot.lastSeq == 3)
        #expect(snapshot.records.count == 3)
        var expected = sampleAsset(2)
        expected.seq = 3
        #expect(snapshot.records.first { $0.tag == expected.tag } == expected)
    }

    @Test func aStateOnlyWriteAndRemovalsKeepTheOtherRows() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1)], state: AssetStateChanges(upserts: [sampleAsset(1), sampleAsset(2)]))
        var later = sampleAsset(1, lastRead: 1_790_000_009_000)
        later.reads = 99
        let none = try await log.append([], state: AssetStateChanges(upserts: [later], removals: [sampleAsset(2).tag]))
        #expect(none.isEmpty)
        let records = try log.assetStates().records
        #expect(records.count == 1)
        #expect(records.first?.reads == 99)
        #expect(records.first?.lastRead.milliseconds == 1_790_000_009_000)
        #expect(records.first?.seq == 1, "a state-only write is stamped with the newest seq already in the log")
    }

    @Test func aFailedTransactionWritesNeitherEventsNorRows() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let first = sampleEvent(1)
        _ = try await log.append([first])
        // The same event id again violates UNIQUE: the rows of that append must not land either.
        await #expect(throws: EventLogError.self) {
            _ = try await log.append([first], state: AssetStateChanges(upserts: [sampleAsset(7)]))
        }
        #expect(try log.assetStates().records.isEmpty)
        #expect(try log.lastSeq() == 1)
    }

    @Test func aFreshLogHoldsItsStateFromTheStart() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let marker = try log.pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [AssetRow.stateMetaKey])
        }
        #expect(marker == "v4")
    }

    @Test func aDamagedRowIsATypedErrorNamingTheTag() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1)], state: AssetStateChanges(upserts: [sampleAsset(1)]))
        try await log.pool.write { db in try db.execute(sql: "UPDATE assets SET door_side = 'sideways', episodes = 'x'") }
        #expect {
            _ = try log.assetStates()
        } throws: { error in
            guard case EventLogError.corruptAsset(let tag, let message) = error else { return false }
            return tag == sampleAsset(1).tag.hex && message.contains("door_side")
        }
    }
}

@Suite struct AssetTouchLogTests {
    @Test func aTouchUpdatesReadFieldsInPlaceAndIgnoresTagsWithoutARow() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1)], state: AssetStateChanges(upserts: [sampleAsset(1)]))
        let touch = AssetTouch(tag: sampleAsset(1).tag, readPoint: "dock-ant2", lastRead: Timestamp(milliseconds: 1_790_000_005_000),
                               lastReadInZone: Timestamp(milliseconds: 1_790_000_004_000), doorSide: .outside, leanSide: nil,
                               reads: 500, peakRSSI: -31)
        let stray = AssetTouch(tag: TagID(bytes: [9, 9]), readPoint: "x", lastRead: Timestamp(milliseconds: 1),
                               lastReadInZone: Timestamp(milliseconds: 1), reads: 1)
        _ = try await log.append([], state: AssetStateChanges(touches: [touch, stray]))
        let records = try log.assetStates().records
        #expect(records.count == 1, "a touch never creates a row")
        var expected = sampleAsset(1)
        (expected.readPoint, expected.lastRead, expected.lastReadInZone) = ("dock-ant2", touch.lastRead, touch.lastReadInZone)
        (expected.doorSide, expected.leanSide, expected.reads, expected.peakRSSI, expected.seq) = (.outside, nil, 500, -31, 1)
        #expect(records.first == expected, "zone, since, key and episodes are left as they were")
    }

    /// The write is split (state by tag, identity only when it differs, insert when there is no
    /// row): each path must leave the row and the key index as an upsert would.
    @Test func aMovedRowKeepsItsIdentityAndAChangedKeyMovesItInTheKeyIndex() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        _ = try await log.append([sampleEvent(1)], state: AssetStateChanges(upserts: [sampleAsset(1), sampleAsset(2)]))
        var moved = sampleAsset(1, zone: "bay-4", lastRead: 1_790_000_003_000)
        moved.episodes = []
        var rekeyed = sampleAsset(2)
        rekeyed.asset = AssetRef(key: "urn:epc:id:giai:0614141.2", scheme: "giai", raw: "30-2")
        rekeyed.symbology = "gs1-128"
        _ = try await log.append([sampleEvent(2)], state: AssetStateChanges(upserts: [moved, rekeyed, sampleAsset(3)]))
        let records = try log.assetStates().records
        #expect(records.count == 3)
        moved.seq = 2
        rekeyed.seq = 2
        #expect(records.first { $0.tag == moved.tag } == moved)
        #expect(records.first { $0.tag == rekeyed.tag } == rekeyed)
        #expect(try log.assets(key: "urn:epc:id:giai:0614141.2").records.map(\.tag) == [rekeyed.tag])
        #expect(try log.assets(key: sampleAsset(2).asset.key).records.isEmpty, "the old key no longer finds it")
        #expect(try log.assets(key: sampleAsset(3).asset.key).records.map(\.seq) == [2], "a new row is inserted")
    }
}
