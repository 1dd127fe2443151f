import TagwaySettings

/// The decisions of `tagway devices --probe PORT`, gpsd's hunt loop as a pure state machine:
/// which line settings to open the port with, when to listen, which harmless query to send, how
/// long to wait for an answer, and which profiles what came back matches.
///
/// Every distinct line setting of the candidates is tried, in the order the candidates give, even
/// after a match: a report that says "115200 8N1 answered as an M100; 9600 8N1 heard nothing"
/// shows the reader's real rate, and a wrong-rate match (garbage that happens to frame) is shown
/// beside the right one instead of hiding it. At each setting the port is first only listened to
/// (passive readers speak when a card or code is presented; nothing is written), then each
/// commanded candidate's query is sent and its answer judged by that candidate's decoder alone.
/// The shell executes actions and feeds inputs; the machine never reads a clock.
public struct ProbeMachine: Sendable {
    public enum Action: Sendable, Hashable {
        case open(SerialSettings)
        case write([UInt8])
        /// Wait this long, gathering what the port says, then give `.timerFired`.
        case wait(Duration)
        case close
        case finished(ProbeOutcome)
    }

    public enum Input: Sendable, Hashable {
        case opened
        /// The port cannot be opened (missing, permission, held by another process): the probe
        /// ends, since every setting would fail alike.
        case openFailed(String)
        case bytes([UInt8])
        case timerFired
    }

    private enum State {
        case idle
        case opening(group: Int)
        case listening(group: Int, heard: [UInt8])
        case querying(group: Int, candidate: Int, heard: [UInt8])
        case finished
    }

    private struct Group {
        var serial: SerialSettings
        var candidates: [ProbeCandidate]
        var heard = 0
    }

    public let listen: Duration
    public let answerWindow: Duration
    private var groups: [Group]
    private var state = State.idle
    private var matches: [ProbeMatch] = []
    private var attempts: [ProbeAttempt] = []

    /// `listen`: how long each setting is only listened to; `answerWindow`: how long a query's
    /// answer is waited for (a version answer takes milliseconds; the window covers a slow USB
    /// bridge and a loaded machine).
    public init(candidates: [ProbeCandidate], listen: Duration = .seconds(2), answerWindow: Duration = .milliseconds(500)) {
        var groups: [Group] = []
        for candidate in candidates {
            if let index = groups.firstIndex(where: { $0.serial == candidate.serial }) {
                groups[index].candidates.append(candidate)
            } else {
                groups.append(Group(serial: candidate.serial, candidates: [candidate]))
            }
        }
        self.groups = groups
        self.listen = listen
        self.answerWindow = answerWindow
    }

    public mutating func start() -> [Action] {
        guard case .idle = state else { preconditionFailure("ProbeMachine.start in \(state)") }
        return open(group: 0)
    }

    public mutating func handle(_ input: Input) -> [Action] {
        switch (state, input) {
        case (.opening(let group), .opened):
            state = .listening(group: group, heard: [])
            return [.wait(listen)]
        case (.opening, .openFailed(let reason)):
            state = .finished
            return [.finished(ProbeOutcome(matches: matches, attempts: attempts, failure: reason))]
        case (.listening(let group, var heard), .bytes(let bytes)):
            Self.gather(&heard, bytes)
            state = .listening(group: group, heard: heard)
            return []
        case (.querying(let group, let candidate, var heard), .bytes(let bytes)):
            Self.gather(&heard, bytes)
            state = .querying(group: group, candidate: candidate, heard: heard)
            return []
        case (.listening(let group, let heard), .timerFired):
            groups[group].heard += heard.count
            for candidate in groups[group].candidates {
                if let evidence = ProbeEvidence.judge(heard, decoder: candidate.makeDecoder()) {
                    record(candidate, evidence: evidence, answered: false)
                }
            }
            return query(group: group, from: 0)
        case (.querying(let group, let index, let heard), .timerFired):
            groups[group].heard += heard.count
            let candidates = groups[group].candidates
            if let evidence = ProbeEvidence.judge(heard, decoder: candidates[index].makeDecoder()) {
                // Every profile of this protocol at this setting answers the same query alike.
                for candidate in candidates where Self.sameQuestion(candidate, candidates[index]) && !matched(candidate) {
                    record(candidate, evidence: "answered the version query: " + evidence, answered: true)
                }
            }
            return query(group: group, from: index + 1)
        case (.finished, _), (.idle, _), (.opening, _), (.listening, _), (.querying, _):
            // The shell feeds bytes only while the port is open and one timer at a time; bytes
            // that arrive after the close are dropped by the shell, never given here.
            preconditionFailure("ProbeMachine: \(input) in \(state)")
        }
    }

    /// Sends the next query of `group` from candidate `from`, or closes and moves on.
    private mutating func query(group: Int, from: Int) -> [Action] {
        let candidates = groups[group].candidates
        let asked = { (index: Int) in candidates[..<index].contains { Self.sameQuestion($0, candidates[index]) } }
        if let next = candidates.indices.dropFirst(from).first(where: { candidates[$0].query != nil && !matched(candidates[$0]) && !asked($0) }),
           let bytes = candidates[next].query {
            state = .querying(group: group, candidate: next, heard: [])
            return [.write(bytes), .wait(answerWindow)]
        }
        let serial = groups[group].serial
        attempts.append(ProbeAttempt(serial: serial, bytesHeard: groups[group].heard,
                                     matched: matches.filter { $0.serial == serial }.map(\.profileID)))
        return [.close] + open(group: group + 1)
    }

    private mutating func open(group: Int) -> [Action] {
        guard group < groups.count else {
            state = .finished
            return [.finished(ProbeOutcome(matches: matches, attempts: attempts, failure: nil))]
        }
        state = .opening(group: group)
        return [.open(groups[group].serial)]
    }

    /// A candidate whose protocol already matched at this setting (heard by itself) needs no query.
    private func matched(_ candidate: ProbeCandidate) -> Bool {
        matches.contains { $0.profileID == candidate.profileID && $0.serial == candidate.serial }
    }

    private mutating func record(_ candidate: ProbeCandidate, evidence: String, answered: Bool) {
        matches.append(ProbeMatch(profileID: candidate.profileID, protocolID: candidate.protocolID,
                                  serial: candidate.serial, evidence: evidence, answered: answered))
    }

    /// Two profiles of one protocol with the same query: asked once, answered for both.
    private static func sameQuestion(_ a: ProbeCandidate, _ b: ProbeCandidate) -> Bool {
        a.protocolID == b.protocolID && a.query == b.query
    }

    private static func gather(_ heard: inout [UInt8], _ bytes: [UInt8]) {
        heard += bytes.prefix(max(0, ProbeEvidence.maximumBytes - heard.count))
    }
}

/// What the probe found: the matching profiles, every setting tried, or why it could not probe.
public struct ProbeOutcome: Sendable, Hashable {
    public var matches: [ProbeMatch]
    public var attempts: [ProbeAttempt]
    public var failure: String?

    public init(matches: [ProbeMatch], attempts: [ProbeAttempt], failure: String?) {
        self.matches = matches
        self.attempts = attempts
        self.failure = failure
    }
}
