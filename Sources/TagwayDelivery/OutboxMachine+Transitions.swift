import TagwayModel

/// The transitions out of each state, one function per kind of event.
extension OutboxMachine {
    /// A head only moves forward: a late or failed read of it never hides events already seen.
    mutating func advanceHead(_ head: Int64?) {
        if let head, head > status.head { status.head = head }
    }

    /// Undelivered events wait for company until the linger is over, unless a full batch is there.
    mutating func lingerOrRead(_ backlog: Backlog, now: OutboxNow) -> Action {
        guard status.head > status.cursor else {
            status.state = .idle
            state = .idle
            return .sleep(until: nil)
        }
        let due = backlog.since + policy.linger
        if status.backlog >= Int64(policy.maxEvents) || now.monotonic >= due { return read(backlog) }
        status.state = .lingering
        state = .lingering(backlog)
        return .sleep(until: due)
    }

    mutating func read(_ backlog: Backlog) -> Action {
        status.state = .delivering
        state = .inFlight(.reading, backlog)
        return .read(after: status.cursor, limit: policy.maxEvents)
    }

    mutating func handleRead(_ input: Input, backlog: Backlog, now: OutboxNow) -> Action {
        switch input {
        case .batchRead(let batch):
            if batch.last > status.head { status.head = batch.last }
            state = .inFlight(.sending(batch), backlog)
            return .send(batch)
        case .readEmpty:
            status.head = status.cursor
            status.state = .idle
            state = .idle
            return .sleep(until: nil)
        case .readFailed:
            // The status keeps saying "delivering": the batch is still due, only late.
            let until = now.monotonic + backoff.next(using: &rng)
            state = .retrying(Retry(until: until, then: .read, backlog: backlog))
            return .sleep(until: until)
        default:
            preconditionFailure("OutboxMachine \(status.id): input \(input) is invalid while reading")
        }
    }

    mutating func handleAnswer(_ outcome: DeliveryOutcome, batch: Batch, backlog: Backlog, now: OutboxNow) -> Action {
        switch outcome {
        case .delivered, .alreadyDelivered:
            // A late confirmation of an older batch never moves the cursor back.
            status.cursor = max(status.cursor, batch.last)
            status.delivered += batch.count
            status.lastSuccess = now.wall
            status.nextAttempt = nil
            backoff.reset()
            if status.head <= status.cursor { status.state = .idle }
            state = .inFlight(.persisting(cursor: status.cursor, failures: 0), Backlog(since: backlog.since))
            return .persistCursor(status.cursor)
        case .retry(let reason, let after):
            let attempts = backlog.attempts + 1
            status.lastError = reason
            status.lastErrorTime = now.wall
            if let maxAttempts = policy.maxAttempts, attempts >= maxAttempts {
                status.failed += batch.count
                return stop("gave up after \(attempts) attempts: \(reason)", now: now)
            }
            status.retried += 1
            var delay = backoff.next(using: &rng)
            if let after { delay = max(delay, min(after, policy.retryAfterCap)) }
            status.nextAttempt = now.wall + delay
            status.state = .retrying
            let until = now.monotonic + delay
            state = .retrying(Retry(until: until, then: .read, backlog: Backlog(since: backlog.since, attempts: attempts)))
            return .sleep(until: until)
        case .rejected(let reason):
            status.failed += batch.count
            return stop(reason, now: now)
        }
    }

    mutating func handlePersist(_ input: Input, cursor: Int64, failures: Int, backlog: Backlog, now: OutboxNow) -> Action {
        switch input {
        case .cursorPersisted:
            persistBackoff.reset()
            // Look at the log before the next decision, as after every step: more may have come.
            if status.head > status.cursor {
                state = .lingering(backlog)
            } else {
                state = .idle
            }
            return .readHead
        case .cursorPersistFailed:
            let until = now.monotonic + persistBackoff.next(using: &rng)
            state = .retrying(Retry(until: until, then: .persist(cursor: cursor, failures: failures + 1), backlog: backlog))
            return .sleep(until: until)
        default:
            preconditionFailure("OutboxMachine \(status.id): input \(input) is invalid while persisting")
        }
    }

    /// A ring while the sink only waits: the head is read at once when the last look is
    /// `headRefresh` old, else at the end of a pause (or at the retry, if that comes first).
    mutating func headOrPause(until deadline: MonotonicInstant?, now: OutboxNow) -> Action {
        guard let last = headReadAt, now.monotonic < last + Self.headRefresh else { return .readHead }
        headStale = true
        let refresh = last + Self.headRefresh
        return .pause(until: deadline.map { min($0, refresh) } ?? refresh)
    }

    mutating func retryIsDue(_ retry: Retry, now: OutboxNow) -> Action {
        guard now.monotonic >= retry.until else { return headStale ? .readHead : .sleep(until: retry.until) }
        switch retry.then {
        case .read:
            return read(retry.backlog)
        case .persist(let cursor, let failures):
            state = .inFlight(.persisting(cursor: cursor, failures: failures), retry.backlog)
            return .persistCursor(cursor)
        }
    }

    mutating func stop(_ reason: String, now: OutboxNow) -> Action {
        status.state = .stopped
        status.lastError = reason
        status.lastErrorTime = now.wall
        status.nextAttempt = nil
        state = .stopped(reason: reason)
        return .halt(reason: reason)
    }
}
