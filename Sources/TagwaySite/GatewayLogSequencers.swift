import TagwayModel

/// Every gateway log's `GatewaySequencer`, and which of a gateway's logs is current.
///
/// A message from a log the site has not seen, for a gateway it knows, means the gateway's log
/// was recreated: the new log starts a sequence of its own at 1 and becomes current (a notice,
/// `logReplaced`). The replaced log keeps its sequencer: its redeliveries and late copies are
/// still dropped against its position, and its events still held for a gap are let through as
/// before. An event of a replaced log past its position is applied: it is an event the gateway
/// committed and the site never applied, and its log's own position keeps it from being applied
/// twice, so dropping it would lose it for nothing. One past every `seq` the site had seen of that
/// log is also reported (`replacedLogEvent`): the old log grew after the new one began, which the
/// stream's order (a gateway's messages as they were published, the old log's before the new
/// one's) does not allow from one gateway: two gateways configured with one id, or an old copy
/// of the log still running, which an operator must hear of. (One that fills a gap below what was
/// seen is a late delivery, not reported.)
///
/// One exception to "a new log starts at 1": a gateway upgraded to a release that sends its log's
/// identity goes on numbering the same log, so a first message of an identified log whose `seq`
/// is exactly the next one expected from the gateway's unidentified log ("") continues from it
/// (`logIdentified`), instead of waiting `gapTimeout` for events 1... that were applied long ago.
public struct GatewayLogSequencers: Sendable {
    private var sequencers: [GatewayLog: GatewaySequencer] = [:]
    private var generations: [GatewayLog: Int] = [:]
    /// The highest `seq` received of each log (after a restart: from its position).
    private var highest: [GatewayLog: Int64] = [:]
    /// Per gateway, its current log (the one of the highest generation).
    private var current: [String: GatewayLog] = [:]
    private let gapTimeout: Duration
    private let maxHeld: Int

    /// `resume`: the positions a previous site process wrote, with their generations.
    public init(resume: [GatewayLog: LogPosition], gapTimeout: Duration, maxHeld: Int) {
        self.gapTimeout = gapTimeout
        self.maxHeld = maxHeld
        for (key, position) in resume.sorted(by: { $0.key < $1.key }) {
            sequencers[key] = GatewaySequencer(next: position.next, gapTimeout: gapTimeout, maxHeld: maxHeld)
            generations[key] = position.generation
            if let now = current[key.gateway], generations[now] ?? 0 >= position.generation { continue }
            current[key.gateway] = key
        }
    }

    /// The gateway's current log, nil for a gateway not seen yet.
    public func currentLog(of gateway: String) -> GatewayLog? { current[gateway] }

    /// The log's generation among its gateway's logs (0 when unknown).
    public func generation(of log: GatewayLog) -> Int { generations[log] ?? 0 }

    /// Per gateway, the next `seq` expected from its current log.
    public var receivePoints: [String: Int64] { current.compactMapValues { sequencers[$0]?.next } }

    public func counters(_ log: GatewayLog) -> GatewaySequencer.Counters? { sequencers[log]?.counters }

    /// When `advance(to:)` next gives up on a gap, in any log.
    public var nextDeadline: Timestamp? { sequencers.values.compactMap(\.nextDeadline).min() }

    /// Takes one event (`seq` from 1, a gateway) of `log`: the events it lets through in order,
    /// the gap skipped (if any), and the notices and problems about the gateway's logs.
    public mutating func receive(_ event: MovementEvent, log: String, at now: Timestamp)
        -> (released: [MovementEvent], skipped: GatewaySequencer.SkippedGap?, problems: [SiteProblem]) {
        let key = GatewayLog(gateway: event.gateway, log: log)
        var problems: [SiteProblem] = []
        var sequencer = sequencers[key] ?? start(key, firstSeq: event.seq ?? 1, problems: &problems)
        let seen = highest[key] ?? sequencer.next.saturatingSubtract(1)
        let (released, gap) = sequencer.receive(event, at: now)
        sequencers[key] = sequencer
        if let seq = event.seq, seq > seen {
            highest[key] = seq
            if current[event.gateway] != key { problems.append(.replacedLogEvent(gateway: event.gateway, log: log, seq: seq)) }
        }
        return (released, gap, problems)
    }

    /// Gives up on every gap older than `gapTimeout`, in log order.
    public mutating func advance(to now: Timestamp) -> [(log: GatewayLog, released: [MovementEvent], skipped: GatewaySequencer.SkippedGap?)] {
        var out: [(log: GatewayLog, released: [MovementEvent], skipped: GatewaySequencer.SkippedGap?)] = []
        for key in sequencers.keys.sorted() {
            guard var sequencer = sequencers[key], sequencer.nextDeadline.map({ $0 <= now }) == true else { continue }
            let (released, gap) = sequencer.advance(to: now)
            sequencers[key] = sequencer
            out.append((log: key, released: released, skipped: gap))
        }
        return out
    }

    /// A log not seen before: the gateway's first, or one that replaces its current log.
    private mutating func start(_ key: GatewayLog, firstSeq: Int64, problems: inout [SiteProblem]) -> GatewaySequencer {
        guard let previous = current[key.gateway] else {
            current[key.gateway] = key
            generations[key] = 0
            return GatewaySequencer(next: 1, gapTimeout: gapTimeout, maxHeld: maxHeld)
        }
        let generation = generations.filter { $0.key.gateway == key.gateway }.values.max() ?? 0
        generations[key] = generation < .max ? generation + 1 : generation
        current[key.gateway] = key
        if previous.log.isEmpty, let unidentified = sequencers[previous], unidentified.heldCount == 0,
           firstSeq > 1, unidentified.next == firstSeq {
            problems.append(.logIdentified(gateway: key.gateway, log: key.log, continuingAt: firstSeq))
            return GatewaySequencer(next: firstSeq, gapTimeout: gapTimeout, maxHeld: maxHeld)
        }
        problems.append(.logReplaced(gateway: key.gateway, from: previous.log, to: key.log))
        return GatewaySequencer(next: 1, gapTimeout: gapTimeout, maxHeld: maxHeld)
    }
}
