import TagwayModel
import TagwayRuntime
import TagwaySite

/// Renews the held lease when `SiteLease` says it is due, before every step the site carries out
/// (a long step must not outlive the lease unnoticed), and stops the session at once when the
/// renewal fails: a standby has taken over, and two active processes would write the same rows.
final class SiteLeaseKeeper {
    private var lease: SiteLease
    private let nats: SiteJetStream
    private let value: [UInt8]
    private let clock: GatewayClock

    init(lease: SiteLease, nats: SiteJetStream, value: [UInt8], clock: GatewayClock) {
        self.lease = lease
        self.nats = nats
        self.value = value
        self.clock = clock
    }

    func check() throws(SiteJetStream.Failure) {
        let now = clock.wall()
        guard case .renew(let revision) = lease.action(at: now) else { return }
        guard let next = nats.update(SiteBucketRows.leaseKey, value, last: revision) else {
            lease.lost()
            throw SiteJetStream.Failure(description: "the lease was taken over by another site process; standing by", leaseLost: true)
        }
        lease.wrote(revision: next, at: now)
    }
}
