import TagwayModel
import Testing
@testable import TagwaySite

/// One active site process per site: create when absent, renew every third of the TTL, a standby
/// takes over only once the revision it sees has not moved for the TTL.
@Suite struct SiteLeaseTests {
    static func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

    @Test func aFirstProcessCreatesAndRenews() {
        var lease = SiteLease(ttl: .seconds(9))
        #expect(lease.action(at: Self.at(0)) == .create)
        lease.wrote(revision: 7, at: Self.at(0))
        #expect(lease.isHeld)
        #expect(lease.action(at: Self.at(2_999)) == .wait(until: Self.at(3_000)))
        #expect(lease.action(at: Self.at(3_000)) == .renew(revision: 7))
        lease.wrote(revision: 8, at: Self.at(3_000))
        #expect(lease.action(at: Self.at(4_000)) == .wait(until: Self.at(6_000)))
    }

    @Test func aStandbyWaitsWhileTheRevisionMoves() {
        var lease = SiteLease(ttl: .seconds(9))
        lease.observed(revision: 7, at: Self.at(0))
        #expect(lease.action(at: Self.at(8_999)) == .wait(until: Self.at(9_000)))
        lease.observed(revision: 8, at: Self.at(5_000))
        #expect(lease.action(at: Self.at(9_000)) == .wait(until: Self.at(14_000)))
        lease.observed(revision: 8, at: Self.at(13_000))
        #expect(lease.action(at: Self.at(14_000)) == .takeOver(revision: 8))
    }

    @Test func aDeletedLeaseIsCreatedAndALostOneIsWatchedAgain() {
        var lease = SiteLease(ttl: .seconds(9))
        lease.observed(revision: nil, at: Self.at(0))
        #expect(lease.action(at: Self.at(0)) == .create)
        lease.wrote(revision: 3, at: Self.at(0))
        lease.lost()
        #expect(!lease.isHeld)
        #expect(lease.action(at: Self.at(1)) == .create)
    }
}
