/// The JetStream sink's bounded window of asynchronous publishes over one batch, in log order.
///
/// Publishing one event and waiting for its PubAck before the next would cost a round trip per
/// event; publishing a whole backlog at once would let a broker outage hold thousands of
/// unanswered messages. The window sends ahead at most `limit` events past the first unacked
/// one, so memory and redelivery after a failure are both bounded.
///
/// The window opens slowly (TCP's slow start): it starts at `size` (1 on a new connection),
/// grows by one event per acked event (so it doubles each round trip) up to `limit`, and falls
/// back to 1 at every rewind. A stream that fails (a leader being elected answers "no
/// responders") and then works again must not see a window of events in flight across that
/// moment: the early ones would fail and the later ones be stored, out of log order. At size 1
/// the first event that works is the first event unacked; from there the window opens again.
///
/// `delivered` (the prefix the sink may report) moves only over a contiguous prefix of acked
/// events: an ack that comes early (the stream answered out of order after a reconnect) is kept
/// and counted when the gap before it closes. A negative answer or a timeout rewinds sending to
/// the first unacked event; answers for messages sent before the rewind still count when they
/// are acks (the stream has the message) and are ignored when they are failures (the event is
/// already going out again). Pure: the sink does the I/O and the clock.
public struct PublishWindow: Sendable, Hashable {
    /// Events in the batch.
    public let count: Int
    /// Most events sent and not yet acked, counted from the first unacked, once fully open.
    public let limit: Int
    /// The window now (1...limit): what the sink keeps for its next batch.
    public private(set) var size: Int
    /// Events `0..<delivered` are acked.
    public private(set) var delivered = 0
    /// Acks the stream said were duplicates (already stored under the same `Nats-Msg-Id`),
    /// each event counted once.
    public private(set) var duplicates = 0
    /// Rewinds so far (failures and timeouts that sent events again).
    public private(set) var rewinds = 0
    /// The next index `nextToSend` considers.
    private var cursor = 0
    /// Indexes acked past `delivered` (out of order).
    private var ackedAhead: Set<Int> = []
    /// Indexes sent since the last rewind and not answered.
    private var outstanding: Set<Int> = []

    /// `size`: where the window starts (the last batch's `size`; 1 after a new connection).
    public init(count: Int, limit: Int, size: Int = 1) {
        self.count = max(0, count)
        self.limit = max(1, limit)
        self.size = min(max(1, size), self.limit)
    }

    /// Every event is acked.
    public var isComplete: Bool { delivered == count }
    /// Events sent and not answered since the last rewind.
    public var inFlight: Int { outstanding.count }

    /// The index to publish next, marked outstanding; nil when the window is full or every
    /// event is out. Events acked out of order are not sent again.
    public mutating func nextToSend() -> Int? {
        while cursor < count, ackedAhead.contains(cursor) { cursor += 1 }
        guard cursor < count, cursor - delivered < size else { return nil }
        defer { cursor += 1 }
        outstanding.insert(cursor)
        return cursor
    }

    /// The stream stored event `index` (`duplicate`: it had it already). Returns whether
    /// `delivered` moved. An ack for an index already acked changes nothing.
    @discardableResult
    public mutating func acked(_ index: Int, duplicate: Bool) -> Bool {
        guard index >= delivered, index < count, !ackedAhead.contains(index) else { return false }
        outstanding.remove(index)
        if duplicate { duplicates += 1 }
        ackedAhead.insert(index)
        if size < limit { size += 1 }
        let before = delivered
        while ackedAhead.remove(delivered) != nil { delivered += 1 }
        if cursor < delivered { cursor = delivered }
        return delivered > before
    }

    /// The publish of `index` failed (a negative PubAck, no responders, a lost connection).
    /// Rewinds when `index` is outstanding; a failure of a send made before the last rewind, or
    /// of an event acked meanwhile, is stale and ignored. Returns whether it rewound.
    @discardableResult
    public mutating func failed(_ index: Int) -> Bool {
        guard outstanding.contains(index) else { return false }
        rewind()
        return true
    }

    /// No answer came in time for what is outstanding (or the connection dropped): send
    /// everything unacked again, from a window of 1.
    public mutating func timedOut() {
        guard !outstanding.isEmpty else {
            size = 1
            return
        }
        rewind()
    }

    private mutating func rewind() {
        outstanding.removeAll()
        cursor = delivered
        rewinds += 1
        size = 1
    }
}
