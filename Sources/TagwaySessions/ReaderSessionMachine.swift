import TagwayDecoders
import TagwayHID
import TagwayModel

/// The decisions of one reader session, for any transport: when to open, when to retry and how
/// long to wait, what to send a commanded reader, how input becomes frames, and what the reader's
/// health says. Pure: each input is answered with the actions a shell executes (termios,
/// libusb, and LLRP's TCP shell), so every decision is tested without a device or a clock.
///
/// Modelled on async-http-client's `HTTP1ConnectionStateMachine`: one `enum State`, one
/// `mutating func handle(_:)` per input. An input that cannot happen in a state (an `opened`
/// nobody asked for) is a bug in the shell and stops the process with the state named; input
/// that can legitimately arrive late (a timer that already fired, bytes queued by a connection
/// that was closed) is recognised by its token or connection id and ignored.
public struct ReaderSessionMachine<Random: RandomNumberGenerator> {
    enum State {
        /// Not started yet.
        case idle
        /// `open` was requested; its outcome has not been reported.
        case opening(ConnectionID)
        /// Reading.
        case open(OpenConnection)
        /// Waiting out the backoff (or a udev announcement) before the next open.
        case backingOff(TimerToken)
        /// The device is absent or refused; only its arrival leads to another open.
        case waitingForDevice(refused: Bool)
        /// Stopped for good.
        case stopped
    }

    struct OpenConnection {
        let id: ConnectionID
        /// The index of the next startup command (== startup.count once polling).
        var commandStep = 0
        var commandTimer: TimerToken?
        var scanDeadline: (at: Timestamp, token: TimerToken)?
        var reportedPauses = 0
        /// The conversation's one deadline; nil when disarmed (a timer still running is then stale).
        var conversationTimer: TimerToken?
    }

    public let plan: ReaderSessionPlan
    var state: State = .idle
    var random: Random
    var backoff: Backoff
    var assembler: FrameAssembler?
    var reportDecoder: HIDReportDecoder?
    var conversation: (any ReaderConversation)?
    /// Decoder totals already turned into counter deltas (decoders count since they were made).
    var reportedBytesDropped: [DropReason: Int] = [:]
    var reportedDropEvents: [DropReason: Int] = [:]
    var reportedStatistics = HIDDecoderStatistics()
    var hasConnected = false
    var announcedAbsent = false
    var lastConnection: UInt64 = 0
    var lastTimer: UInt64 = 0

    /// `random` supplies the backoff's jitter (tests pass a seeded generator).
    public init(plan: ReaderSessionPlan, random: Random) {
        self.plan = plan
        self.random = random
        self.backoff = plan.backoff
        switch plan.decoding {
        case .byteStream(let assembler): self.assembler = assembler
        case .conversation(let conversation): self.conversation = conversation
        case .reports: break
        }
    }

    /// True once stopped: the shell ends its loop.
    public var isStopped: Bool {
        if case .stopped = state { return true }
        return false
    }

    /// The HID decoder's counters over the session's life (nil before a report decoder was given).
    public var decoderStatistics: HIDDecoderStatistics? { reportDecoder?.statistics }

    /// The connection being read, if any.
    public var openConnection: ConnectionID? {
        if case .open(let connection) = state { return connection.id }
        return nil
    }

    public mutating func handle(_ input: ReaderSessionInput) -> [ReaderSessionAction] {
        switch input {
        case .start: return start()
        case .opened(let id, let time, let path, let decoder): return opened(id, at: time, path: path, reportDecoder: decoder)
        case .openFailed(let id, let failure, _): return openFailed(id, failure)
        case .absent(let id): return absent(id)
        case .bytes(let id, let chunk, let time): return bytes(id, chunk, at: time)
        case .inputPaused(let id, let total): return inputPaused(id, total: total)
        case .report(let id, let bytes, let time): return report(id, bytes, at: time)
        case .timerFired(let token, let time): return timerFired(token, at: time)
        case .unplugged(let id, let failure, _): return unplugged(id, failure)
        case .deviceAdded: return deviceAppeared(clearsRefusal: true)
        case .deviceChanged: return deviceAppeared(clearsRefusal: false)
        case .stop: return stop()
        }
    }

    // MARK: connection lifecycle

    private mutating func start() -> [ReaderSessionAction] {
        guard case .idle = state else { preconditionFailure("start in state \(state)") }
        return beginOpening()
    }

    mutating func beginOpening() -> [ReaderSessionAction] {
        lastConnection &+= 1
        let id = ConnectionID(lastConnection)
        state = .opening(id)
        return [.open(id)]
    }

    private mutating func opened(_ id: ConnectionID, at time: Timestamp, path: String?,
                                 reportDecoder decoder: HIDReportDecoder?) -> [ReaderSessionAction] {
        guard case .opening(let expected) = state, expected == id else { preconditionFailure("opened \(id) in state \(state)") }
        // A conversation's connection proves little (a reader that accepts and then rejects the
        // configuration would be retried at the shortest delay forever): its backoff resets at
        // the first tags read instead (`follow`).
        if conversation == nil { backoff.reset() }
        announcedAbsent = false
        if reportDecoder == nil { reportDecoder = decoder }
        var actions: [ReaderSessionAction] = []
        if hasConnected { actions.append(.health(.count(.reconnects, by: 1))) }
        hasConnected = true
        actions.append(.health(.connected(at: time, path: path)))
        var connection = OpenConnection(id: id)
        actions += nextCommand(&connection)
        state = .open(connection)
        if var conversation {
            let step = conversation.connected(at: time)
            self.conversation = conversation
            actions += follow(step, on: connection, at: time)
        }
        return actions
    }

    private mutating func openFailed(_ id: ConnectionID, _ failure: SessionFailure) -> [ReaderSessionAction] {
        guard case .opening(let expected) = state, expected == id else { preconditionFailure("open of \(id) failed in state \(state)") }
        return [.health(.count(.linkFailures(kind: failure.kind), by: 1))] + recover(after: failure, refused: true)
    }

    private mutating func absent(_ id: ConnectionID) -> [ReaderSessionAction] {
        guard case .opening(let expected) = state, expected == id else { preconditionFailure("\(id) absent in state \(state)") }
        state = .waitingForDevice(refused: false)
        defer { announcedAbsent = true }
        return announcedAbsent ? [] : [.health(.waitingForDevice)]
    }

    private mutating func unplugged(_ id: ConnectionID, _ failure: SessionFailure?) -> [ReaderSessionAction] {
        guard case .open(let connection) = state, connection.id == id else { return [] }
        return lose(id, failure, counted: failure.map { .linkFailures(kind: $0.kind) })
    }

    /// Closes the open connection `id` and recovers; `counted` is the counter the loss adds to.
    mutating func lose(_ id: ConnectionID, _ failure: SessionFailure?, counted counter: ReaderCounter?) -> [ReaderSessionAction] {
        var actions: [ReaderSessionAction] = [.close(id)]
        actions += resetDecoding()
        if let counter { actions.append(.health(.count(counter, by: 1))) }
        if failure != nil {
            // The loss was said; a reader still absent at the next attempt is not announced again.
            announcedAbsent = true
        }
        return actions + recover(after: failure, refused: false)
    }

    /// After a failed open or a lost connection: back off, or wait for the device.
    private mutating func recover(after failure: SessionFailure?, refused: Bool) -> [ReaderSessionAction] {
        if let failure, failure.recovery == .waitForDevice {
            state = .waitingForDevice(refused: refused)
            announcedAbsent = true
            return [.health(.disconnected(failure, retryIn: nil))]
        }
        let delay = backoff.next(using: &random)
        let token = newTimer(.reopen)
        state = .backingOff(token)
        return [.health(.disconnected(failure, retryIn: delay)), .armTimer(token, after: delay)]
    }

    private mutating func deviceAppeared(clearsRefusal: Bool) -> [ReaderSessionAction] {
        switch state {
        case .backingOff, .waitingForDevice(refused: false):
            return beginOpening()
        case .waitingForDevice(refused: true) where clearsRefusal:
            return beginOpening()
        case .idle, .opening, .open, .waitingForDevice, .stopped:
            return []
        }
    }

    private mutating func stop() -> [ReaderSessionAction] {
        defer { state = .stopped }
        guard case .open(let connection) = state else { return [] }
        // A conversation takes its leave (LLRP's CLOSE_CONNECTION) before the connection closes.
        var farewell: [ReaderSessionAction] = []
        if var conversation {
            farewell = conversation.farewell().map { .send($0) }
            self.conversation = conversation
        }
        return farewell + [.close(connection.id)] + resetDecoding() + [.health(.disconnected(nil, retryIn: nil))]
    }

    mutating func newTimer(_ purpose: TimerPurpose) -> TimerToken {
        lastTimer &+= 1
        return TimerToken(purpose: purpose, serial: lastTimer)
    }
}

extension ReaderSessionMachine.State: CustomStringConvertible {
    var description: String {
        switch self {
        case .idle: "idle"
        case .opening(let id): "opening \(id)"
        case .open(let connection): "open \(connection.id)"
        case .backingOff(let token): "backing off (\(token))"
        case .waitingForDevice(let refused): refused ? "waiting for the refused device to be replugged" : "waiting for the device"
        case .stopped: "stopped"
        }
    }
}
