import TagwayModel

/// One declared reference tag and when it was last read where it should be: what status and
/// `/readyz` show. Whether it is missing is decided from a time passed in, when someone asks,
/// so an idle gateway needs no timer to notice an absence.
public struct ReferenceTagState: Sendable, Hashable {
    public var spec: ReferenceTagSpec
    /// When it was declared (the start or the reload that added it): absence counts from here
    /// until the first read.
    public var since: Timestamp
    public var lastSeen: Timestamp?
    /// Reads of it at its reader and read point.
    public var reads = 0

    public init(spec: ReferenceTagSpec, since: Timestamp) {
        self.spec = spec
        self.since = since
    }

    /// How long it has not been read, as of `now` (never negative).
    public func unseenFor(at now: Timestamp) -> Duration { max(.zero, now - (lastSeen ?? since)) }

    public func isMissing(at now: Timestamp) -> Bool { unseenFor(at: now) > spec.expectEvery }

    /// The reader-health warning while it is missing; nil when it is read often enough.
    public func warning(at now: Timestamp) -> String? {
        guard isMissing(at: now) else { return nil }
        let place = spec.readPoint.map { "at \($0)" } ?? "by \(spec.reader)"
        let when = lastSeen.map { "last read \($0.iso8601)" } ?? "never read since \(since.iso8601)"
        return "reference tag \(spec.tag) not read \(place) for \(Self.seconds(unseenFor(at: now))) "
            + "(expected every \(Self.seconds(spec.expectEvery)); \(when)): check the antenna and its cable"
    }

    static func seconds(_ d: Duration) -> String {
        let tenths = d.wholeMilliseconds / 100
        return "\(tenths / 10).\(abs(tenths % 10))s"
    }
}
