import TagwayModel

/// The rows the periodic state write still owes: the tags read since its mark, written a chunk at
/// a time, with the events' transactions or alone when no event waits.
///
/// A round used to be one transaction with every tag read in the last `stateInterval` (about a
/// thousand rows a second at 10,000 reads/s in the pipeline benchmark), and the events that
/// arrived meanwhile waited behind it: about half a millisecond of the read→durable p99 there
/// (2.2–2.8 ms with rows every second, 1.7–2.3 ms with them every 60 s). In chunks, no event
/// waits for more than a chunk. Only tags are owed: each row is built from the engine when its
/// chunk is written, so it is never older than what the events of the same transaction leave.
struct OwedAssetRows: Sendable {
    /// Rows per transaction that carries events: a small addition to a commit readers wait for.
    static let withEvents = 64
    /// Rows per transaction of their own, at least: bounds the wait of an event arriving during
    /// one. A round of many rows goes in at most `loneTransactions` of them, so a site whose
    /// 100,000 tags are read on and on without moving syncs 8 times a round, not 400 (an SD card).
    static let alone = 256
    static let loneTransactions = 8

    private var tags: [TagID] = []
    private var next = 0
    /// Rows per transaction of their own in this round (see `alone`).
    private(set) var aloneLimit = OwedAssetRows.alone
    /// The mark recorded once every tag of the round is written.
    private var mark: Timestamp?

    var isEmpty: Bool { next >= tags.count }
    var count: Int { tags.count - next }

    /// Starts a round (the last one is over: `isEmpty`): `tags` are owed, and once written the
    /// state write's mark moves to `mark`.
    mutating func owe(_ tags: [TagID], through mark: Timestamp) {
        self.tags = tags
        next = 0
        self.mark = mark
        aloneLimit = max(Self.alone, (tags.count + Self.loneTransactions - 1) / Self.loneTransactions)
    }

    /// The next at most `limit` tags owed, in the order they were owed.
    mutating func take(_ limit: Int) -> ArraySlice<TagID> {
        let end = next + min(max(0, limit), count)
        defer { next = end }
        return tags[next..<end]
    }

    /// After a successful write: the round's mark once everything owed is written (once), else nil.
    mutating func completed() -> Timestamp? {
        guard isEmpty, let done = mark else { return nil }
        mark = nil
        tags = []
        next = 0
        return done
    }

    /// A write that carried some of them failed: the round ends without its mark, so the next
    /// round owes again every tag read since the old mark.
    mutating func abandon() {
        tags = []
        next = 0
        mark = nil
    }
}
