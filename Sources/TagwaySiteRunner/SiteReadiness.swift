import Synchronization
import TagwayAPI
import TagwaySinks

/// What the runner's sessions found of the site's JetStream, for `/readyz`: when they last read
/// it, since when every attempt fails (and why), and the live session's connection (libnats
/// says at once when it drops, even in the middle of a step). The session tells it on each
/// lease read (a standby polls the lease row every fifth of `leaseTTL`), each step and each
/// chunk of a step's writes (the active process), and each failure that ends a session.
final class SiteJetStreamHealth: Sendable {
    struct Evidence: Sendable {
        var lastRead: ContinuousClock.Instant?
        /// Why the last session ended or could not start, since when, and how many attempts
        /// failed since the last read; nil once a read succeeded again.
        var failure: (description: String, since: ContinuousClock.Instant, attempts: Int)?
        var connection: NATSConnection?
        /// Whether the last session ended because the lease was taken over (not a JetStream failure).
        var leaseLost = false
    }

    private let state = Mutex(Evidence())

    var evidence: Evidence { state.withLock { $0 } }

    /// A session opened its connection (and its JetStream context and bucket).
    func opened(_ connection: NATSConnection) {
        state.withLock {
            $0.connection = connection
            $0.lastRead = .now
            $0.failure = nil
            $0.leaseLost = false
        }
    }

    /// A call of the session succeeded.
    func read() {
        state.withLock {
            $0.lastRead = .now
            $0.failure = nil
        }
    }

    /// The session ended (its connection is closed next).
    func closed() { state.withLock { $0.connection = nil } }

    /// A session failed, or could not start: a lost lease is not JetStream's failure.
    func failed(_ failure: SiteJetStream.Failure) {
        state.withLock {
            $0.connection = nil
            if failure.leaseLost {
                $0.leaseLost = true
                return
            }
            let attempts = ($0.failure?.attempts ?? 0) + 1
            $0.failure = (failure.description, $0.failure?.since ?? .now, attempts)
        }
    }
}

/// `GET /readyz` of a site process, in the gateway's layout (`Readiness`: checks by name, each
/// ok or not with a detail; 503 when one is not ok):
///
/// - `jetstream`: the site's JetStream can be read now. Not ok while the last attempt failed
///   (the NATS server down, the bucket or the stream without a leader, a refused login: every
///   session attempt fails until one reads again), while the session's connection is down or
///   not yet open, and when nothing was read for `stale` (every libnats call the site makes
///   waits 5 s at most, and a session reads at least every fifth of `leaseTTL`: one that is
///   silent for longer is stuck). Every read of the API comes from JetStream, so a process
///   whose JetStream cannot be read answers them 503 and should get no traffic.
/// - `lease`: this process's role, `active` (it holds the lease: it applies the gateways' events,
///   runs the sinks) or `standby`. Always ok: a standby is *ready*, not only alive. The API
///   serves the bucket's picture and the site events stream, which the active process writes
///   and every process reads alike, so a load balancer in front of two site processes should
///   send reads to either, and a standby taken out of rotation would only halve the capacity
///   for reads and leave a single process to answer them all. Which process is active is said
///   here (and in `/v1/status`), not used to turn a process away.
struct SiteReadiness: ReadinessSource {
    let runner: SiteRunner

    func readiness(now: ContinuousClock.Instant) -> Readiness {
        Self.evaluate(runner.jetstream.evidence, active: runner.counters.active, stale: runner.readinessStale,
                      leaseTTL: runner.config.bucket.leaseTTL, now: now)
    }

    static func evaluate(_ evidence: SiteJetStreamHealth.Evidence, active: Bool, stale: Duration, leaseTTL: Duration,
                         now: ContinuousClock.Instant) -> Readiness {
        func ago(_ instant: ContinuousClock.Instant) -> String { Readiness.seconds(now - instant) }
        let jetstream: Readiness.Check
        if let failure = evidence.failure {
            let times = failure.attempts == 1 ? "1 attempt" : "\(failure.attempts) attempts"
            jetstream = .init(name: "jetstream", ok: false,
                              detail: "cannot be read for \(ago(failure.since)) (\(times)): \(failure.description)")
        } else if let connection = evidence.connection, !connection.isConnected {
            jetstream = .init(name: "jetstream", ok: false, detail: "the connection to the NATS server dropped")
        } else if evidence.connection == nil {
            jetstream = .init(name: "jetstream", ok: false, detail: evidence.lastRead == nil ? "connecting" : "reconnecting")
        } else if let last = evidence.lastRead, now - last <= stale {
            jetstream = .init(name: "jetstream", ok: true, detail: "read \(ago(last)) ago")
        } else {
            jetstream = .init(name: "jetstream", ok: false,
                              detail: "connected, but nothing read for \(evidence.lastRead.map(ago) ?? "ever") (more than \(Readiness.seconds(stale)))")
        }
        let lease: Readiness.Check = active
            ? .init(name: "lease", ok: true, detail: "active: this process holds the lease")
            : .init(name: "lease", ok: true,
                    detail: "standby: serves reads from the bucket; takes over when the lease is not renewed within \(Readiness.seconds(leaseTTL))")
        return Readiness(checks: [jetstream, lease])
    }
}

extension SiteRunner {
    /// See `SiteReadiness`: the longest a session may read nothing and still be ready (30 s, or
    /// three of a standby's lease polls when `leaseTTL` is longer than 50 s).
    var readinessStale: Duration { max(.seconds(30), standbyPoll * 3) }

    /// How often a standby reads the lease row.
    var standbyPoll: Duration { .milliseconds(max(50, config.bucket.leaseTTL.wholeMilliseconds / 5)) }
}
