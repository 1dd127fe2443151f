import Foundation
import Testing
import TagwayModel
@testable import TagwayAudit

/// The comparison per category, with time passed in: found, missing (never seen, or seen too
/// long ago), misplaced (and the same asset as expected elsewhere where it is), unexpected.
@Suite struct AuditComparisonTests {
    static let now = Timestamp(milliseconds: 1_800_000_000_000)
    static let hour: Int64 = 3_600_000

    static func record(_ key: String, _ zone: String, since: Int64 = 5, lastRead: Int64, point: String? = nil) -> AssetRecord {
        let scheme = key.hasPrefix("urn:epc:id:giai:") ? "giai" : String(key.prefix { $0 != ":" })
        return AssetRecord(tag: TagID(bytes: Array(key.utf8)), isScan: scheme == "barcode", technology: nil,
                           asset: AssetRef(key: key, scheme: scheme, raw: key), zone: zone,
                           since: Timestamp(milliseconds: now.milliseconds - since * hour), readPoint: point ?? zone + "-1",
                           lastRead: Timestamp(milliseconds: now.milliseconds - lastRead), lastReadInZone: Timestamp(milliseconds: now.milliseconds - lastRead))
    }

    static let records = [
        record("urn:epc:id:giai:0614141.LAP-00042", "it-storage", lastRead: 1 * hour),
        record("barcode:LAP-00044", "helpdesk", since: 2, lastRead: 600_000),
        record("em4100:0100E2850E", "helpdesk", since: 80, lastRead: 72 * hour),
        record("barcode:XYZ", "it-storage", lastRead: 300_000),
        record("barcode:OLD", "dock-3", lastRead: 48 * hour),
        record("urn:epc:id:giai:0614141.DUP-1", "dock-3", lastRead: 60_000),
        record("barcode:DUP-1", "it-storage", lastRead: 120_000),
    ]

    static let list = ExpectedAssetList(source: "list.csv", format: .csv, entries: [
        ExpectedAsset(tag: "LAP-00042", zone: "it-storage", line: 2),
        ExpectedAsset(tag: "LAP-00044", zone: "it-storage", line: 3),
        ExpectedAsset(tag: "em4100:0100E2850E", zone: "helpdesk", line: 4),
        ExpectedAsset(tag: "LAP-00043", zone: "it-storage", line: 5),
        ExpectedAsset(tag: "DUP-1", zone: "it-storage", line: 6),
    ])

    static func compare(_ records: [AssetRecord] = records, zone: String? = nil) -> AuditReport {
        Audit.compare(expected: list, found: records, zones: ["dock-3", "helpdesk", "it-storage", "lab"], freshness: .seconds(86_400),
                      now: now, zone: zone, lastSeq: 77)
    }

    @Test func eachRowLandsInOneCategoryOfItsZone() throws {
        let report = Self.compare()
        #expect(report.zones.map(\.zone) == ["dock-3", "helpdesk", "it-storage", "lab"])
        let storage = try #require(report.zones.first { $0.zone == "it-storage" })
        #expect(storage.found.map(\.expected) == ["DUP-1", "LAP-00042"])
        // Of two assets carrying DUP-1, the one in the expected zone is taken.
        #expect(storage.found.map(\.key) == ["barcode:DUP-1", "urn:epc:id:giai:0614141.LAP-00042"])
        #expect(storage.missing == [AuditItem(expected: "LAP-00043", line: 5)])
        #expect(storage.misplaced.count == 1)
        let misplaced = try #require(storage.misplaced.first)
        #expect(misplaced.key == "barcode:LAP-00044")
        #expect(misplaced.zone == "helpdesk")
        #expect(misplaced.since == Timestamp(milliseconds: Self.now.milliseconds - 2 * Self.hour))
        #expect(storage.unexpected.map(\.key) == ["barcode:XYZ"])

        let helpdesk = try #require(report.zones.first { $0.zone == "helpdesk" })
        // Seen three days ago, freshness one day: missing, with where and when it was last seen.
        #expect(helpdesk.missing.count == 1)
        #expect(helpdesk.missing.first?.zone == "helpdesk")
        #expect(helpdesk.missing.first?.lastSeen == Timestamp(milliseconds: Self.now.milliseconds - 72 * Self.hour))
        #expect(helpdesk.expectedElsewhere.map(\.key) == ["barcode:LAP-00044"])
        #expect(helpdesk.expectedElsewhere.first?.expectedZone == "it-storage")

        let dock = try #require(report.zones.first { $0.zone == "dock-3" })
        // The stale asset nobody expects is not reported; the fresh one is unexpected.
        #expect(dock.unexpected.map(\.key) == ["urn:epc:id:giai:0614141.DUP-1"])
        #expect(report.zones.first { $0.zone == "lab" }?.totals == AuditTotals())

        var totals = AuditTotals()
        (totals.expected, totals.found, totals.missing, totals.misplaced, totals.unexpected) = (5, 2, 2, 1, 2)
        #expect(report.totals == totals)
        #expect(storage.totals.expected == 4)
    }

    @Test func aZoneFilterKeepsOnlyThatZone() {
        let report = Self.compare(zone: "helpdesk")
        #expect(report.zones.map(\.zone) == ["helpdesk"])
        #expect(report.totals.expected == 1)
        #expect(report.totals.missing == 1)
        #expect(report.totals.unexpected == 0)
        #expect(report.zones.first?.expectedElsewhere.count == 1)
        let empty = Self.compare(zone: "nowhere-known")
        #expect(empty.zones.map(\.zone) == ["nowhere-known"])
    }

    @Test func theReportDoesNotDependOnTheOrderOfTheState() {
        var generator = SystemRandomNumberGenerator()
        let reference = Self.compare()
        for _ in 0..<20 {
            #expect(Self.compare(Self.records.shuffled(using: &generator)) == reference)
        }
    }

    @Test func freshnessIsInclusiveAndTimeIsPassedIn() {
        let exactly = Self.record("barcode:EDGE", "lab", lastRead: 24 * Self.hour)
        let list = ExpectedAssetList(source: "l", format: .csv, entries: [ExpectedAsset(tag: "EDGE", zone: "lab", line: 2)])
        let atEdge = Audit.compare(expected: list, found: [exactly], zones: ["lab"], freshness: .seconds(86_400), now: Self.now, zone: nil)
        #expect(atEdge.totals.found == 1)
        let later = Audit.compare(expected: list, found: [exactly], zones: ["lab"], freshness: .seconds(86_400),
                                  now: Self.now + .milliseconds(1), zone: nil)
        #expect(later.totals.missing == 1)
    }

    @Test func anAssetIsClaimedByOneRowOnly() {
        let list = ExpectedAssetList(source: "l", format: .csv, entries: [
            ExpectedAsset(tag: "barcode:LAP-9", zone: "lab", line: 2),
            ExpectedAsset(tag: "LAP-9", zone: "lab", line: 3),
        ])
        let report = Audit.compare(expected: list, found: [Self.record("barcode:LAP-9", "lab", lastRead: 0)], zones: ["lab"],
                                   freshness: .seconds(60), now: Self.now, zone: nil)
        #expect(report.zones.first?.found.map(\.line) == [2])
        #expect(report.zones.first?.missing.map(\.line) == [3])
    }
}
