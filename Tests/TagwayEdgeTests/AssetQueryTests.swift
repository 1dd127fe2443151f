import Foundation
import GRDB
import Testing
import TagwayModel
@testable import TagwayEventLog

/// A row for asset `key` held by engine identity `tag` (one byte string per identity).
func queryAsset(_ key: String, tag: [UInt8], zone: String = "dock", lastRead: Int64 = 1_790_000_000_000,
                symbology: String? = nil) -> AssetRecord {
    AssetRecord(tag: TagID(bytes: tag), isScan: symbology != nil, technology: symbology == nil ? "epc-gen2" : nil,
                asset: AssetRef(key: key, scheme: "test", raw: key), symbology: symbology, zone: zone,
                since: Timestamp(milliseconds: lastRead - 1000), readPoint: zone + "-ant1", reader: "r1",
                lastRead: Timestamp(milliseconds: lastRead), lastReadInZone: Timestamp(milliseconds: lastRead), reads: 3,
                peakRSSI: -50)
}

/// An event of asset `key` (the log needs one for the rows to have a seq).
func queryEvent(_ key: String, type: EventType = .arrived, to: String? = "dock", from: String? = nil,
                time: Int64 = 1_790_000_000_000) -> MovementEvent {
    var rng = SystemRandomNumberGenerator()
    let t = Timestamp(milliseconds: time)
    return MovementEvent(id: EventID.make(time: t, using: &rng), type: type, time: t, gateway: "gw",
                         asset: AssetRef(key: key, scheme: "test", raw: key), from: from, to: to, readPoint: "p")
}

/// Writes one row per key (tags numbered in order) with an `arrived` event each.
func writeAssets(_ log: EventLog, _ records: [AssetRecord]) async throws {
    _ = try await log.append(records.map { queryEvent($0.asset.key, to: $0.zone) }, state: AssetStateChanges(upserts: records))
}

/// Reads every page of `query` (following `next`) and returns the keys in order.
func allPages(_ log: EventLog, _ query: AssetQuery) throws -> [String] {
    var query = query
    var keys: [String] = []
    repeat {
        let page = try log.assets(query)
        keys += page.records.map(\.asset.key)
        query.after = page.next
    } while query.after != nil
    return keys
}

@Suite struct AssetQueryTests {
    @Test func filtersByZoneKeyAndLastRead() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        try await writeAssets(log, [
            queryAsset("a", tag: [1], zone: "dock", lastRead: 1000), queryAsset("b", tag: [2], zone: "lab", lastRead: 2000),
            queryAsset("c", tag: [3], zone: "dock", lastRead: 3000), queryAsset("c", tag: [4], zone: "lab", lastRead: 4000),
        ])
        func keys(_ query: AssetQuery) throws -> [String] { try log.assets(query).records.map(\.asset.key) }
        #expect(try keys(AssetQuery()) == ["a", "b", "c", "c"])
        #expect(try keys(AssetQuery(zone: "dock")) == ["a", "c"])
        #expect(try keys(AssetQuery(key: "c")) == ["c", "c"])
        #expect(try keys(AssetQuery(seenSince: Timestamp(milliseconds: 3000))) == ["c", "c"])
        #expect(try keys(AssetQuery(zone: "lab", seenSince: Timestamp(milliseconds: 3000))) == ["c"])
        #expect(try keys(AssetQuery(zone: "nowhere")).isEmpty)
        let page = try log.assets(AssetQuery())
        #expect(page.lastSeq == 4)
        #expect(page.next == nil)
    }

    @Test func aPrefixIsLiteralTextNotAPattern() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let keys = ["50%_off", "50%_offer", "50x_off", "50%aoff", "50%", "5", "A_B", "AxB", "a_b"]
        try await writeAssets(log, keys.enumerated().map { queryAsset($1, tag: [UInt8($0)]) })
        #expect(try allPages(log, AssetQuery(keyPrefix: "50%_")) == ["50%_off", "50%_offer"])
        #expect(try allPages(log, AssetQuery(keyPrefix: "A_")) == ["A_B"], "prefix matching is case-sensitive, like keys")
        #expect(try allPages(log, AssetQuery(keyPrefix: "50%")) == ["50%", "50%_off", "50%_offer", "50%aoff"])
    }

    /// Every prefix, including ones whose last character has no successor (U+10FFFF) or sits next
    /// to the surrogates, selects exactly the keys that start with it.
    @Test func aPrefixSelectsExactlyTheKeysStartingWithIt() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let alphabet: [String] = ["a", "%", "_", "é", "\u{D7FF}", "\u{E000}", "\u{10FFFF}", "z"]
        var generator = SystemRandomNumberGenerator()
        var keys = Set<String>()
        while keys.count < 300 {
            keys.insert((0..<Int.random(in: 1...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined())
        }
        let records = keys.sorted().enumerated().map { queryAsset($1, tag: [UInt8($0 >> 8), UInt8($0 & 0xFF)]) }
        try await writeAssets(log, records)
        for prefix in alphabet + alphabet.flatMap({ a in alphabet.map { a + $0 } }) {
            let expected = keys.filter { $0.unicodeScalars.starts(with: prefix.unicodeScalars) }
            let got = try allPages(log, AssetQuery(keyPrefix: prefix, limit: 7))
            #expect(Set(got) == expected, "prefix \(prefix.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(got.count == expected.count)
        }
    }

    @Test func aPrefixIsARangeOnTheKeyIndex() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let plan = try log.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM assets WHERE asset_key >= ? AND asset_key < ? ORDER BY asset_key, tag",
                             arguments: ["a", "b"]).map { $0["detail"] as String? ?? "" }.joined(separator: "; ")
        }
        #expect(plan.contains("assets_by_key (asset_key>? AND asset_key<?)"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "the index gives the order: \(plan)")
        #expect(AssetQuery.upperBound(ofPrefix: "urn:epc:id:giai:") == "urn:epc:id:giai;")
        #expect(AssetQuery.upperBound(ofPrefix: "a\u{D7FF}") == "a\u{E000}")
        #expect(AssetQuery.upperBound(ofPrefix: "a\u{10FFFF}") == "b")
        #expect(AssetQuery.upperBound(ofPrefix: "\u{10FFFF}\u{10FFFF}") == nil)
    }

    /// Keyset paging: a row added or removed between pages never makes another row repeat or go
    /// missing (offsets would).
    @Test func pagesFollowTheKeyOrderAndSurviveChangesBetweenThem() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let keys = (0..<250).map { String(format: "k%03d", $0) }
        try await writeAssets(log, keys.enumerated().map { queryAsset($1, tag: [UInt8($0 >> 8), UInt8($0 & 0xFF)]) })
        var query = AssetQuery(limit: 100)
        let first = try log.assets(query)
        #expect(first.records.count == 100)
        #expect(first.next?.key == "k099")
        // Before the next page: one row before the cursor goes, one arrives before it, one after.
        _ = try await log.append([queryEvent("k010", type: .departed, to: nil)],
                                 state: AssetStateChanges(removals: [TagID(bytes: [0, 10])]))
        try await writeAssets(log, [queryAsset("k050a", tag: [9, 1]), queryAsset("k150a", tag: [9, 2])])
        query.after = first.next
        let second = try log.assets(query)
        #expect(second.records.first?.asset.key == "k100")
        #expect(second.lastSeq == 253)
        query.after = second.next
        let third = try log.assets(query)
        #expect(third.next == nil)
        let listed = (first.records + second.records + third.records).map(\.asset.key)
        var expected = keys  // k010 was read before it went; k050a came behind the cursor
        expected.insert("k150a", at: 151)
        #expect(listed == expected)
        #expect(AssetQuery(limit: 5000).boundedLimit == AssetQuery.maxLimit)
        #expect(try log.assets(AssetQuery(limit: 0)).records.count == 1, "a limit below 1 reads one row, not all")
    }

    @Test func cursorsRoundTripAndGarbageIsRefused() {
        for key in ["urn:epc:id:giai:0614141.12345", "", "a/b?c=d&e", "é\u{10FFFF}", String(repeating: "x", count: 500)] {
            let cursor = AssetCursor(key: key, tag: TagID(bytes: [0xE2, 0x00, 0x34]))
            #expect(AssetCursor(text: cursor.text) == cursor)
            #expect(!cursor.text.contains("/") && !cursor.text.contains("+") && !cursor.text.contains("="))
        }
        for text in ["", ".", "E2", "E2.", "zz.YQ", "E2.Y", "E2.YQ==", "E2.!!", "E2./w",
                     "E2." + String(repeating: "Y", count: 5000)] {
            #expect(AssetCursor(text: text) == nil || text == "E2.", "\(text.prefix(20))")
        }
        #expect(AssetCursor(text: "E2.")?.key == "")
    }

    @Test func aKeyGivesAllItsIdentitiesAndItsLatestEventsNewestFirst() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        let key = "urn:epc:id:giai:0614141.12345"
        let tag = queryAsset(key, tag: [0x34, 1], zone: "lab")
        let scan = queryAsset(key, tag: Array("]d2".utf8) + [0] + Array("8004061414112345".utf8), zone: "desk",
                              symbology: "]d2")
        _ = try await log.append([queryEvent(key, to: "dock", time: 1), queryEvent("other", time: 2),
                                  queryEvent(key, type: .moved, to: "lab", from: "dock", time: 3)],
                                 state: AssetStateChanges(upserts: [tag, scan]))
        _ = try await log.append([queryEvent("gone", time: 4), queryEvent("gone", type: .departed, to: nil, time: 5)])
        let history = try log.assets(key: key, events: 20)
        #expect(history.records.map(\.zone).sorted() == ["desk", "lab"])
        #expect(history.events.map(\.seq) == [3, 1], "newest first")
        #expect(history.lastSeq == 5)
        #expect(try log.assets(key: key, events: 1).events.map(\.type) == [.moved])
        #expect(try log.assets(key: key, events: 0).events.isEmpty)
        let gone = try log.assets(key: "gone", events: 20)
        #expect(gone.records.isEmpty)
        #expect(gone.events.map(\.type) == [.departed, .arrived])
        #expect(try log.assets(key: "never", events: 20).events.isEmpty)
    }

    @Test func zoneCountsAndStateMarker() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        #expect(try log.zoneCounts() == ZoneCounts(counts: [:], lastSeq: 0))
        try await writeAssets(log, [queryAsset("a", tag: [1], zone: "dock"), queryAsset("b", tag: [2], zone: "lab"),
                                    queryAsset("c", tag: [3], zone: "dock")])
        #expect(try log.zoneCounts() == ZoneCounts(counts: ["dock": 2, "lab": 1], lastSeq: 3))
        let async = try await log.readZoneCounts()
        #expect(async.counts == ["dock": 2, "lab": 1])
        #expect(try log.holdsAssetState())
        try await log.pool.write { db in try db.execute(sql: "DELETE FROM meta WHERE key = 'asset-state'") }
        #expect(try !log.holdsAssetState())
    }

    @Test func aDamagedRowFailsTheQueryWithATypedError() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        try await writeAssets(log, [queryAsset("a", tag: [1])])
        try await log.pool.write { db in try db.execute(sql: "UPDATE assets SET door_side = 'sideways'") }
        #expect(throws: EventLogError.self) { _ = try log.assets(AssetQuery()) }
        await #expect(throws: EventLogError.self) { _ = try await log.readAssets(key: "a", events: 1) { $0.records.count } }
    }
}
