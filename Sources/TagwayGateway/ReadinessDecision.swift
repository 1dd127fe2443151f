import TagwayAPI
import TagwayModel

/// What `/readyz` looks at, copied out of the running gateway at one moment.
public struct ReadinessSnapshot: Sendable, Hashable {
    public struct Reader: Sendable, Hashable {
        public var id: String
        public var required: Bool
        public var connected: Bool
        /// Since when (monotonic) it has been unconnected; nil while connected.
        public var unconnectedSince: Duration?
        public var lastError: String?

        public init(id: String, required: Bool, connected: Bool, unconnectedSince: Duration?, lastError: String? = nil) {
            self.id = id
            self.required = required
            self.connected = connected
            self.unconnectedSince = unconnectedSince
            self.lastError = lastError
        }
    }

    public var log: LogWriteHealth.Snapshot
    public var lastBeat: Duration?
    /// A beat older than this means the pipeline is wedged (the watchdog interval).
    public var beatWindow: Duration
    public var readers: [Reader]
    public var readyGrace: Duration
    public var restartReasons: [String]
    /// brltty and ModemManager findings about the serial readers' ports (empty: none, or no serial readers).
    public var contention: [PortContention] = []

    public init(log: LogWriteHealth.Snapshot, lastBeat: Duration?, beatWindow: Duration, readers: [Reader],
                readyGrace: Duration, restartReasons: [String]) {
        self.log = log
        self.lastBeat = lastBeat
        self.beatWindow = beatWindow
        self.readers = readers
        self.readyGrace = readyGrace
        self.restartReasons = restartReasons
    }
}

/// The readiness decision: a pure function of a snapshot and a monotonic `now`.
public enum ReadinessDecision {
    public static func evaluate(_ s: ReadinessSnapshot, now: Duration) -> Readiness {
        var checks = [logCheck(s.log), pipelineCheck(lastBeat: s.lastBeat, window: s.beatWindow, now: now)]
        checks += s.readers.map { reader in
            contend(readerCheck(reader, grace: s.readyGrace, now: now), reader: reader,
                    with: s.contention.filter { $0.reader == reader.id })
        }
        let machine = s.contention.filter { $0.reader == nil }
        if !machine.isEmpty {
            // Not the readers' state now, but what will take a reader's port at its next plug.
            checks.append(Readiness.Check(name: "serial-ports", ok: true, detail: "warning: " + machine.map(\.text).joined(separator: "; ")))
        }
        let restart = s.restartReasons.isEmpty
            ? "nothing waits for a restart"
            : "changed on reload, applied at the next restart: " + s.restartReasons.joined(separator: "; ")
        checks.append(Readiness.Check(name: "restart", ok: true, detail: restart))
        return Readiness(checks: checks)
    }

    static func logCheck(_ log: LogWriteHealth.Snapshot) -> Readiness.Check {
        if let fatal = log.fatal { return .init(name: "log", ok: false, detail: "lost: \(fatal)") }
        if let since = log.failingSince {
            return .init(name: "log", ok: false,
                         detail: "writes failing since \(since.iso8601) (\(log.lastError ?? "?")); \(log.heldEvents) events held")
        }
        return .init(name: "log", ok: true, detail: "writable")
    }

    static func pipelineCheck(lastBeat: Duration?, window: Duration, now: Duration) -> Readiness.Check {
        guard let lastBeat else { return .init(name: "pipeline", ok: false, detail: "no heartbeat yet") }
        let age = now - lastBeat
        guard age <= window else {
            return .init(name: "pipeline", ok: false, detail: "no heartbeat for \(Readiness.seconds(age)) (limit \(Readiness.seconds(window)))")
        }
        return .init(name: "pipeline", ok: true, detail: "alive \(Readiness.seconds(max(.zero, age))) ago")
    }

    /// A required reader whose port another program holds is not ready, grace period or not:
    /// waiting will not give the port back. Lesser findings ride along as warnings.
    static func contend(_ check: Readiness.Check, reader: ReadinessSnapshot.Reader, with findings: [PortContention]) -> Readiness.Check {
        guard !findings.isEmpty else { return check }
        var check = check
        for finding in findings {
            if finding.blocking, reader.required {
                check.ok = false
                check.detail += "; not ready: \(finding.text)"
            } else {
                check.detail += "; warning: \(finding.text)"
            }
        }
        return check
    }

    static func readerCheck(_ r: ReadinessSnapshot.Reader, grace: Duration, now: Duration) -> Readiness.Check {
        let name = "reader:\(r.id)"
        if r.connected { return .init(name: name, ok: true, detail: "connected") }
        let away = max(.zero, now - (r.unconnectedSince ?? now))
        var detail = "not connected for \(Readiness.seconds(away))"
        if let error = r.lastError { detail += " (\(error))" }
        if !r.required { return .init(name: name, ok: true, detail: detail + "; not required") }
        if away <= grace { return .init(name: name, ok: true, detail: detail + "; in its grace period of \(Readiness.seconds(grace))") }
        return .init(name: name, ok: false, detail: detail + "; grace period \(Readiness.seconds(grace)) passed")
    }
}

/// Since when each reader has been unconnected, from observations of the health board (each
/// pulse and each probe): a reader never seen connected counts from the start.
public struct ReaderGraceTracker: Sendable {
    private var since: [String: Duration]

    public init(readers: [String], start: Duration) {
        since = Dictionary(readers.map { ($0, start) }, uniquingKeysWith: { first, _ in first })
    }

    public mutating func observe(reader: String, connected: Bool, now: Duration) {
        if connected {
            since[reader] = nil
        } else if since[reader] == nil {
            since[reader] = now
        }
    }

    public func unconnectedSince(_ reader: String) -> Duration? { since[reader] }
}
