import TagwayModel

/// The whole site view as one pure machine: every gateway's events in, site changes and problems
/// out. Per gateway, `seq` order and each event once (`GatewaySequencer`); across gateways, event
/// time order within the reorder window (`SiteReorderBuffer`); then the movement rules
/// (`SiteMovementMachine`). The shell (the `tagway site` process) feeds it what its JetStream
/// consumer delivers and calls `advance(to:)` at `nextDeadline`; it never decides anything itself.
public struct SiteView: Sendable {
    public private(set) var machine: SiteMovementMachine
    /// Per gateway and event log (`GatewayLog`), `seq` order and each event once.
    private var sequencers: GatewayLogSequencers
    private var reorder: SiteReorderBuffer
    private var skew: ClockSkewMonitor
    public private(set) var notEvents = 0
    /// The site's clock when the last gateway event came in (or when the view was first asked
    /// anything): events still coming within a reorder window of each other are a burst.
    private var lastReceivedAt: Timestamp?
    /// The latest event time received from any gateway.
    private var latestEventTime: Timestamp?

    /// `resume`: per gateway, the `seq` after the last one a previous site process applied (of
    /// its log without identity); `positions`: the same per gateway log, with generations.
    public init(settings: SiteSettings = SiteSettings(), rules: SiteRules = SiteRules([]), resume: [String: Int64] = [:],
                positions: [GatewayLog: LogPosition] = [:]) {
        self.init(restoring: SiteMovementMachine(settings: settings, rules: rules), resume: resume, positions: positions)
    }

    /// Takes over from a process that stopped: `machine` restored from the bucket, `positions`
    /// those it had written (each gateway log's next `seq` to apply, and its generation);
    /// `resume` the same for logs without identity, by gateway.
    public init(restoring machine: SiteMovementMachine, resume: [String: Int64] = [:], positions: [GatewayLog: LogPosition] = [:]) {
        self.machine = machine
        reorder = SiteReorderBuffer(window: machine.settings.reorderWindow, capacity: machine.settings.maxReorderHeld)
        skew = ClockSkewMonitor(maxClockSkew: machine.settings.maxClockSkew)
        var all = positions
        for (gateway, next) in resume where all[GatewayLog(gateway: gateway)] == nil {
            all[GatewayLog(gateway: gateway)] = LogPosition(next: next)
        }
        sequencers = GatewayLogSequencers(resume: all, gapTimeout: machine.settings.gapTimeout,
                                          maxHeld: machine.settings.maxHeldPerGateway)
    }

    public var settings: SiteSettings { machine.settings }

    /// Per gateway, the next `seq` the view expects to receive from its current log. Not where
    /// to resume after a restart: events received but still held for ordering are not applied
    /// yet; the shell persists `SiteOutput.applied` for that.
    public var receivePoints: [String: Int64] { sequencers.receivePoints }

    /// Of the gateway's current log.
    public func sequencerCounters(_ gateway: String) -> GatewaySequencer.Counters? {
        sequencers.currentLog(of: gateway).flatMap { sequencers.counters($0) }
    }

    /// The gateway's current log (`GatewayLogSequencers`), nil before its first event.
    public func currentLog(of gateway: String) -> GatewayLog? { sequencers.currentLog(of: gateway) }

    public var heldForOrdering: Int { reorder.count }

    /// The earliest time `advance(to:)` has something to do.
    public var nextDeadline: Timestamp? {
        let gaps = sequencers.nextDeadline
        let burstOver = lastReceivedAt.map { $0 + settings.reorderWindow }
        let departureRelease = machine.nextDeadline.map { deadline -> Timestamp in
            let byClock = deadline + settings.reorderWindow + settings.reorderWindow
            guard let burstOver else { return byClock }
            return Swift.max(byClock, burstOver)
        }
        return [gaps, reorder.nextDeadline, departureRelease].compactMap { $0 }.min()
    }

    /// Takes one message from a gateway's stream, received at `now`. `sent` is the gateway's
    /// clock at the publish (`Tagway-Sent-At`) and the stream's store time of the message, when
    /// the message has them: they tell a gateway's clock that is off (see `ClockSkewMonitor`).
    /// `log`: the identity of the gateway's event log (`Tagway-Log-Id`), "" when the message has
    /// none (see `GatewayLogSequencers`).
    public mutating func receive(_ event: MovementEvent, at now: Timestamp,
                                 sent: (at: Timestamp, storedAt: Timestamp)? = nil, log: String = "") -> SiteOutput {
        var output = SiteOutput()
        guard let seq = event.seq, seq >= 1, !event.gateway.isEmpty else {
            notEvents += 1
            output.problems.append(.notAnEvent(reason: event.gateway.isEmpty ? "no gateway" : "no seq from 1 up"))
            return output
        }
        lastReceivedAt = now
        latestEventTime = Swift.max(latestEventTime ?? event.time, event.time)
        let clock: SiteProblem?
        if let sent {
            clock = skew.observe(gateway: event.gateway, sentAt: sent.at, storedAt: sent.storedAt)
        } else {
            clock = skew.observe(gateway: event.gateway, eventTime: event.time, receivedAt: now)
        }
        if let clock { output.problems.append(clock) }
        let (released, gap, logProblems) = sequencers.receive(event, log: log, at: now)
        output.problems += logProblems
        let key = GatewayLog(gateway: event.gateway, log: log)
        if let gap { skipped(gap, of: key, into: &output) }
        order(released, log: key, at: now, into: &output)
        output.append(contentsOf: advance(to: now))
        return output
    }

    /// Moves the site's clock on: gaps given up, held events released, departures resolved up
    /// to `departureWatermark(now:)`.
    public mutating func advance(to now: Timestamp) -> SiteOutput {
        var output = SiteOutput()
        for (key, released, gap) in sequencers.advance(to: now) {
            if let gap { skipped(gap, of: key, into: &output) }
            order(released, log: key, at: now, into: &output)
        }
        for event in reorder.release(upTo: now) { apply(event, into: &output) }
        if lastReceivedAt == nil { lastReceivedAt = now }
        var changes: [SiteChange] = []
        machine.advance(to: departureWatermark(now: now), into: &changes)
        output.changes.append(contentsOf: changes)
        return output
    }

    /// Applies everything held (a stop or a handover to another site process that must not
    /// leave events half-applied).
    public mutating func flush() -> SiteOutput {
        var output = SiteOutput()
        for event in reorder.drain() { apply(event, into: &output) }
        return output
    }

    /// How far departures may be judged (their handover windows closed, no arrival elsewhere).
    ///
    /// Live, twice `reorderWindow` behind the site's clock: an event is received at most one
    /// window after its time (the window's promise) and held one more, so every arrival stamped
    /// before a handover's deadline has been applied when the deadline is judged.
    ///
    /// In a burst of old events (a site process starting on the gateways' backlog, or catching
    /// up after an outage) the clock says nothing: every handover window in the backlog closed
    /// long ago, and judging by it would split each handover whose arrival is still on its way
    /// into `departed` then `arrived`. Then the backlog's own progress is the watermark: one
    /// window behind the latest event received (the gateways' streams interleave by time within
    /// a window), and before the earliest event still held for ordering (received, not applied).
    /// The burst is over when nothing has come for a reorder window: the clock judges again,
    /// so a quiet site still reports its departures. A burst starts with the view, so departures
    /// restored from the bucket wait for the backlog that may hold their arrivals.
    private func departureWatermark(now: Timestamp) -> Timestamp {
        let window = settings.reorderWindow.wholeMilliseconds
        let live = Timestamp(milliseconds: now.milliseconds.saturatingSubtract(window.saturatingAdd(window)))
        let inBurst = lastReceivedAt.map { now.milliseconds.saturatingSubtract($0.milliseconds) < window } ?? true
        guard inBurst else { return live }
        let behind = window.saturatingAdd(window).saturatingAdd(settings.maxClockSkew.wholeMilliseconds)
        if let latest = latestEventTime, latest.milliseconds >= now.milliseconds.saturatingSubtract(behind) { return live }
        var mark = Timestamp(milliseconds: (latestEventTime?.milliseconds ?? .min).saturatingSubtract(window))
        if let held = reorder.earliestHeldTime { mark = Swift.min(mark, Timestamp(milliseconds: held.milliseconds.saturatingSubtract(1))) }
        return Swift.min(mark, live)
    }

    private mutating func order(_ events: [MovementEvent], log: GatewayLog, at now: Timestamp, into output: inout SiteOutput) {
        let generation = sequencers.generation(of: log)
        for event in events {
            for early in reorder.insert(LoggedEvent(event, log: log.log, generation: generation), at: now) {
                output.problems.append(.reorderOverflow(gateway: early.event.gateway))
                apply(early, into: &output)
            }
        }
    }

    private mutating func apply(_ logged: LoggedEvent, into output: inout SiteOutput) {
        var changes: [SiteChange] = []
        machine.apply(logged.event, into: &changes)
        output.changes.append(contentsOf: changes)
        if let seq = logged.event.seq {
            output.applied.append(AppliedPosition(gateway: logged.event.gateway, seq: seq, log: logged.log,
                                                  generation: logged.generation))
        }
    }

    private func skipped(_ gap: GatewaySequencer.SkippedGap, of log: GatewayLog, into output: inout SiteOutput) {
        output.problems.append(.gap(gateway: log.gateway, from: gap.from, through: gap.through))
        output.passed.append(AppliedPosition(gateway: log.gateway, seq: gap.through, log: log.log, generation: sequencers.generation(of: log)))
    }
}

/// What one step of the site view produced, for the shell to carry out in order: publish the
/// events and write the bucket (`changes`), record the positions applied, log the problems.
public struct SiteOutput: Hashable, Sendable {
    public var changes: [SiteChange] = []
    public var applied: [AppliedPosition] = []
    /// The last `seq` of each gap given up on: the log's position moves past it as past an
    /// applied event (`.gap` in `problems` says so to the operator).
    public var passed: [AppliedPosition] = []
    public var problems: [SiteProblem] = []

    public init() {}

    public var events: [SiteEvent] {
        changes.compactMap { if case let .event(event) = $0 { return event } else { return nil } }
    }

    public mutating func append(contentsOf other: SiteOutput) {
        changes += other.changes
        applied += other.applied
        passed += other.passed
        problems += other.problems
    }
}

/// A gateway event the site has applied, by its gateway, log and `seq`.
public struct AppliedPosition: Hashable, Sendable {
    public var gateway: String
    public var seq: Int64
    /// The gateway's log ("": without identity) and its generation (`LogPosition`).
    public var log: String
    public var generation: Int

    public init(gateway: String, seq: Int64, log: String = "", generation: Int = 0) {
        self.gateway = gateway
        self.seq = seq
        self.log = log
        self.generation = generation
    }

    public var gatewayLog: GatewayLog { GatewayLog(gateway: gateway, log: log) }
}
