import TagwayDelivery
import TagwayModel
import TagwaySite

/// One active session's consuming: fetch, feed the view, carry out its output in order, ack what
/// was applied. Holds the messages not yet acked by (gateway log, seq); a message is acked once
/// its gateway log's written position has passed its `seq` (applied, a duplicate of one applied,
/// or in a gap given up on), so an ack never runs ahead of the bucket.
///
/// A class used by one task at a time (`@unchecked Sendable`): the runner hands each step to its
/// libnats queue and waits for it.
final class SiteConsumer: @unchecked Sendable {
    let runner: SiteRunner
    let nats: SiteJetStream
    var view: SiteView
    /// Per gateway log, the next `seq` to apply, as written in the bucket.
    var resume: [GatewayLog: Int64]
    private var unacked: [GatewayLog: [Int64: [SiteJetStream.Message]]] = [:]
    private var lastTouch: Timestamp?
    /// Acks sent since the last flush.
    private var acksToFlush = false
    /// The problems of this step, logged together at its end (`logProblems`).
    private var unlogged: [SiteProblem] = []
    /// The step row as last written (the next step's parts go under the other generation).
    var stepHeader: SiteStep.Header?
    /// Called before each step is recorded: the lease's renewal, which throws when it was lost.
    var beforeStep: () throws(SiteJetStream.Failure) -> Void = {}
    /// Called after a step that published site events: the site's sinks look at the stream.
    var published: @Sendable () -> Void = {}

    /// Departures superseded before this session (the view's count starts at 0 with it).
    private let supersededBefore: Int

    init(runner: SiteRunner, nats: SiteJetStream, view: SiteView, resume: [GatewayLog: Int64]) {
        supersededBefore = runner.counters.superseded
        self.runner = runner
        self.nats = nats
        self.view = view
        self.resume = resume
    }

    private var now: Timestamp { runner.options.clock.wall() }

    /// One fetch (waiting at most until the view's next deadline) and what follows from it.
    func step() throws(SiteJetStream.Failure) {
        defer { logProblems() }
        var wait = runner.options.fetchWait
        if let deadline = view.nextDeadline {
            wait = min(wait, max(.milliseconds(1), deadline - now))
        }
        // A backlog (a restart, a takeover, an outage) is fetched whole before the view's clock
        // moves, and received at one time: its events are then ordered across gateways together,
        // and a handover's arrival fetched a moment after its departure is not judged missing.
        var messages = try nats.fetch(batch: runner.options.batch, timeout: wait)
        let received = now
        while let last = messages.last, nats.pending(after: last) > 0, messages.count < view.settings.maxReorderHeld {
            let more: [SiteJetStream.Message]
            do { more = try nats.fetch(batch: runner.options.batch, timeout: runner.options.fetchWait) } catch {
                messages.forEach(nats.release)
                throw error
            }
            if more.isEmpty { break }
            messages += more
        }
        // The whole fetch is one step: its outputs carried out together, so the step's record,
        // each asset's row and each gateway's position are written once per fetch, not once per
        // event (an asset's rows within a step are whole values: the last one is the step's).
        var output = SiteOutput()
        // Events without a `seq` are acked once what they changed is carried out; what is not an
        // event at all, once the messages are sorted. Each message fetched ends in exactly one
        // place (held, or one of these lists) and is released once (settled, or by `abandon`).
        var settleAfterStep: [SiteJetStream.Message] = []
        var notEvents: [SiteJetStream.Message] = []
        for message in messages {
            runner.count { $0.received += 1 }
            let time = received
            switch GatewayEventDecoder.decode(message.payload) {
            case .failure(let failure):
                report(.notAnEvent(reason: failure.reason))
                notEvents.append(message)
            case .success(let event):
                guard let seq = event.seq, seq >= 1, !event.gateway.isEmpty else {
                    output.append(contentsOf: view.receive(event, at: time))
                    settleAfterStep.append(message)
                    continue
                }
                let log = message.logID
                unacked[GatewayLog(gateway: event.gateway, log: log), default: [:]][seq, default: []].append(message)
                output.append(contentsOf: view.receive(event, at: time, sent: message.sent, log: log))
            }
        }
        do { try settleAll(notEvents) } catch {
            settleAfterStep.forEach(nats.release)
            throw error
        }
        let time = now
        if let deadline = view.nextDeadline, deadline <= time { output.append(contentsOf: view.advance(to: time)) }
        do {
            try carry(output)
        } catch {
            settleAfterStep.forEach(nats.release)
            throw error
        }
        try settleAll(settleAfterStep)
        try ackApplied()
        try flushAcks()
        keepAlive(at: time)
    }

    /// SIGTERM: apply what is held for ordering, carry it out, ack it.
    func stop() throws(SiteJetStream.Failure) {
        defer { logProblems() }
        var output = view.advance(to: now)
        let flushed = view.flush()
        output.changes += flushed.changes
        output.applied += flushed.applied
        output.passed += flushed.passed
        output.problems += flushed.problems
        try carry(output)
        try ackApplied()
        try flushAcks()
        abandon()
    }

    /// The session ends (the lease lost, a failure, a stop): forget the messages held (the stream
    /// redelivers them), each released once; the session's subscription is destroyed after this.
    func abandon() {
        for messages in unacked.values.flatMap(\.values) { messages.forEach(nats.release) }
        unacked = [:]
    }

    /// Carries out one output (a whole fetch's) in order: site events (published in their order,
    /// see `SiteJetStream.publishInOrder`), then asset rows and positions (one write per key),
    /// recorded first as one `SiteStep` so a kill halfway is finished by the next process.
    func carry(_ output: SiteOutput) throws(SiteJetStream.Failure) {
        let config = runner.config
        var step = SiteStep()
        // A key written twice in one step keeps its last value, in its first place: every write
        // is a whole value, so the last is what the step leaves either way.
        var writeAt: [String: Int] = [:]
        func write(_ key: String, _ value: String?) {
            if let at = writeAt[key] {
                step.writes[at].value = value
            } else {
                writeAt[key] = step.writes.count
                step.writes.append(.init(key: key, value: value))
            }
        }
        for change in output.changes {
            switch change {
            case .event(let siteEvent):
                let event = siteEvent.movementEvent(site: config.site)
                step.publishes.append(.init(subject: JetStreamSubject.render(config.events.subject, event, site: config.site),
                                            id: event.id, payload: event.json))
            case .put(let state):
                write(SiteBucketRows.assetKey(state.asset.key), String(decoding: SiteBucketRows.encode(state), as: UTF8.self))
            case .delete(let key):
                write(SiteBucketRows.assetKey(key), nil)
            }
        }
        var moved: [GatewayLog: LogPosition] = [:]
        for position in output.applied + output.passed where position.seq < .max {
            let next = max(moved[position.gatewayLog]?.next ?? 0, position.seq + 1)
            moved[position.gatewayLog] = LogPosition(next: next, generation: position.generation)
        }
        for problem in output.problems { count(problem) }
        unlogged += output.problems
        var advanced: [GatewayLog: Int64] = [:]
        for (log, position) in moved.sorted(by: { $0.key < $1.key }) where position.next > (resume[log] ?? 1) {
            write(SiteBucketRows.positionKey(log), String(decoding: SiteBucketRows.encode(log, position), as: UTF8.self))
            advanced[log] = position.next
        }
        if !step.isEmpty { try beforeStep() }
        stepHeader = try step.carryOut(nats, after: stepHeader, tick: beforeStep)
        let superseded = supersededBefore + view.machine.counters.superseded
        runner.count {
            $0.published += step.publishes.count
            $0.superseded = superseded
        }
        if !step.publishes.isEmpty { published() }
        resume.merge(advanced) { _, new in new }
    }

    private func report(_ problem: SiteProblem) {
        count(problem)
        unlogged.append(problem)
    }

    private func count(_ problem: SiteProblem) {
        runner.count {
            $0.problems += 1
            switch problem {
            case .notAnEvent: $0.notEvents += 1
            case .gap: $0.gaps += 1
            case .clockAhead, .clockBehind: $0.clockSkew += 1
            case .reorderOverflow: $0.reorderOverflows += 1
            case .logReplaced: $0.logsReplaced += 1
            case .replacedLogEvent: $0.replacedLogEvents += 1
            case .clockBack, .logIdentified: break
            }
            $0.lastProblem = problem.description
        }
    }

    /// One line per distinct problem of a step, with how many times it came: a flooding
    /// gateway's early releases (one problem per event) would otherwise write a line per event.
    private func logProblems() {
        defer { unlogged = [] }
        var order: [String] = []
        var times: [String: Int] = [:]
        for problem in unlogged {
            let text = problem.description
            if times[text] == nil { order.append(text) }
            times[text, default: 0] += 1
        }
        for text in order {
            let repeated = times[text] ?? 1
            let times = repeated > 1 ? " (\(repeated) times in this step)" : ""
            runner.logger.warning("site \(runner.config.site): \(text)\(times)")
        }
    }

    private func settle(_ message: SiteJetStream.Message) throws(SiteJetStream.Failure) {
        defer { nats.release(message) }
        try nats.ack(message)
        acksToFlush = true
    }

    /// Settles each in order; when one fails, the rest are released unacked (the stream
    /// redelivers them), so none is left held or released twice.
    private func settleAll(_ messages: [SiteJetStream.Message]) throws(SiteJetStream.Failure) {
        for (i, message) in messages.enumerated() {
            do { try settle(message) } catch {
                messages[(i + 1)...].forEach(nats.release)
                throw error
            }
        }
    }

    /// Once per step, when it acked anything (see `SiteJetStream.ack`).
    private func flushAcks() throws(SiteJetStream.Failure) {
        guard acksToFlush else { return }
        acksToFlush = false
        try nats.flushAcks()
    }

    /// Acks every held message whose `seq` is below its gateway log's written position.
    private func ackApplied() throws(SiteJetStream.Failure) {
        for (log, bySeq) in unacked {
            let next = resume[log] ?? 1
            let done = bySeq.keys.filter { $0 < next }
            guard !done.isEmpty else { continue }
            for seq in done.sorted() {
                // Out of `unacked` before the first settle: a failed ack leaves none of them
                // held, so `abandon` cannot release one again.
                let messages = unacked[log]?.removeValue(forKey: seq) ?? []
                try settleAll(messages)
            }
        }
    }

    /// Held messages get an in-progress ack every third of AckWait, so the stream does not
    /// redeliver what this process still holds for ordering.
    private func keepAlive(at time: Timestamp) {
        let every = Duration.milliseconds(runner.options.ackWait.wholeMilliseconds / 3)
        if let last = lastTouch, time < last + every { return }
        lastTouch = time
        for messages in unacked.values.flatMap(\.values) { messages.forEach(nats.inProgress) }
    }
}
