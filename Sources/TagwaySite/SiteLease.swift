import TagwayModel

/// Which `tagway site` process of a site is the active one: the holder of a lease row in the
/// site's key-value bucket. The holder renews it (compare-and-set on its revision) every third of
/// `ttl`; a standby watches the row's revision and takes the lease over (compare-and-set on the
/// revision it saw) once that revision has not moved for `ttl` by its own monotonic clock, so
/// two processes' wall clocks never have to agree. A holder whose renewal fails has lost the
/// lease to a standby and must stop consuming at once. Pure: the shell reads and writes the row.
public struct SiteLease: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// No row: create it (only if still absent).
        case create
        /// The holder stopped renewing: update the row only if its revision is still `revision`.
        case takeOver(revision: UInt64)
        /// Renew the held lease: update only if the revision is still ours.
        case renew(revision: UInt64)
        /// Nothing to do before `until`.
        case wait(until: Timestamp)
    }

    public let ttl: Duration
    private var heldRevision: UInt64?
    private var heldAt = Timestamp(milliseconds: 0)
    /// As a standby: the revision last seen (0: no row) and since when it has not moved.
    private var seen: UInt64?
    private var seenSince = Timestamp(milliseconds: 0)

    public init(ttl: Duration) { self.ttl = ttl }

    public var isHeld: Bool { heldRevision != nil }

    /// What to do at `now` (monotonic milliseconds).
    public func action(at now: Timestamp) -> Action {
        if let revision = heldRevision {
            let due = heldAt + Duration.milliseconds(ttl.wholeMilliseconds / 3)
            return now >= due ? .renew(revision: revision) : .wait(until: due)
        }
        guard let seen else { return .create }
        if seen == 0 { return .create }
        let due = seenSince + ttl
        return now >= due ? .takeOver(revision: seen) : .wait(until: due)
    }

    /// A standby read the row: its revision (nil: no row, or deleted).
    public mutating func observed(revision: UInt64?, at now: Timestamp) {
        let revision = revision ?? 0
        if seen != revision {
            seen = revision
            seenSince = now
        }
    }

    /// A create, take-over or renewal succeeded with this new revision.
    public mutating func wrote(revision: UInt64, at now: Timestamp) {
        heldRevision = revision
        heldAt = now
        seen = nil
    }

    /// A renewal or take-over failed: someone else holds it (or took it over).
    public mutating func lost() {
        heldRevision = nil
        seen = nil
    }
}
