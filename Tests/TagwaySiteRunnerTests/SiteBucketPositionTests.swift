import Foundation
import TagwaySite
import Testing
@testable import TagwaySiteRunner

/// Position rows per gateway log (issue 17, a recreated log): rows of logs without identity keep
/// the key and JSON rows were written with before, so a bucket of the earlier release still
/// loads; each identified log has a row of its own, with its generation. No I/O.
@Suite struct SiteBucketPositionTests {
    @Test func aRowOfTheEarlierReleaseLoadsAsTheLogWithoutIdentity() {
        let rows = SiteBucketRows.decode(["pos." + SiteBucketRows.hex("dock-a"): Array(#"{"gateway":"dock-a","next":42}"#.utf8)])
        #expect(rows.positions == [GatewayLog(gateway: "dock-a"): LogPosition(next: 42, generation: 0)])
        #expect(rows.unreadable.isEmpty)
    }

    @Test func eachLogOfAGatewayHasItsOwnRowWithItsGeneration() {
        let unidentified = GatewayLog(gateway: "dock-a")
        let old = GatewayLog(gateway: "dock-a", log: "0f1e")
        let new = GatewayLog(gateway: "dock-a", log: "77aa")
        let written: [GatewayLog: LogPosition] = [unidentified: LogPosition(next: 9), old: LogPosition(next: 501, generation: 1),
                                                   new: LogPosition(next: 3, generation: 2)]
        var entries: [String: [UInt8]] = [:]
        for (log, position) in written { entries[SiteBucketRows.positionKey(log)] = SiteBucketRows.encode(log, position) }
        #expect(entries.count == 3)
        #expect(SiteBucketRows.positionKey(unidentified) == "pos." + SiteBucketRows.hex("dock-a"), "the earlier release's key")
        #expect(SiteBucketRows.decode(entries).positions == written)
        #expect(SiteStatus.current(written) == ["dock-a": 3], "status shows the current log's position")
    }

    @Test func aRowWithANegativeGenerationIsReportedNotLoaded() {
        let key = SiteBucketRows.positionKey(GatewayLog(gateway: "dock-a", log: "x"))
        let rows = SiteBucketRows.decode([key: Array(#"{"gateway":"dock-a","next":4,"log":"x","generation":-1}"#.utf8)])
        #expect(rows.positions.isEmpty)
        #expect(rows.unreadable == [key])
    }
}
