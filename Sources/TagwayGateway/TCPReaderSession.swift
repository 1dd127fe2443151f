import Logging
import TagwayCapture
import TagwayModel
import TagwayRuntime
import TagwaySessions

/// Keeps one network reader (LLRP) connected and feeds its frames on: the TCP shell of
/// `ReaderSessionMachine`, running the reader's conversation.
///
/// As in `SerialReaderSession`, every decision is the machine's (when to reconnect, what to
/// say, when the reader is silent too long); this connects, writes, reads on demand, runs the
/// timers on the injected clock, and turns the socket's chunks, its end and cancellation into
/// the machine's inputs, one at a time.
public struct TCPReaderSession: Sendable {
    public let reader: String
    public let address: TCPAddress
    public let conversation: any ReaderConversation
    /// Where frames go (the pipeline); the reading waits for it, so a pipeline that falls behind
    /// pauses the socket.
    public let emit: @Sendable ([ReaderFrame], Timestamp) async -> Void
    public let health: HealthBoard
    public let logger: Logger
    /// Wall time for health and frames, and the monotonic clock the timers sleep on.
    public var clock: GatewayClock = .system
    public var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
    public var connectTimeout: Duration = .seconds(5)
    /// Bytes read and not yet handled before the socket stops being read.
    public var budget = 64 * 1024
    /// Where the connection's messages are recorded (`capture:`); nil: not recorded.
    public var capture: (any CaptureRecording)?
    /// Tests watch the shell through these: each action it executes, and each connection it opens.
    var observer: @Sendable (ReaderSessionAction) -> Void = { _ in }
    var opened: @Sendable (TCPConnection) -> Void = { _ in }

    public init(reader: String, address: TCPAddress, conversation: any ReaderConversation, health: HealthBoard, logger: Logger,
                emit: @escaping @Sendable ([ReaderFrame], Timestamp) async -> Void) {
        self.reader = reader
        self.address = address
        self.conversation = conversation
        self.health = health
        self.logger = logger
        self.emit = emit
    }

    public func run() async {
        var machine = ReaderSessionMachine(plan: ReaderSessionPlan(decoding: .conversation(conversation), backoff: backoff),
                                           random: SystemRandomNumberGenerator())
        health.register(reader, path: address.description)
        let inbox = Inbox<ReaderSessionInput>()
        var shell = TCPSessionShell(session: self, inbox: inbox)
        inbox.post(.start(at: clock.wall()))

        await machine.drive(inbox, shell: &shell)
    }
}

/// The TCP session's I/O: the open connection, the task reading it, the armed timers.
private struct TCPSessionShell: ReaderSessionShell {
    let session: TCPReaderSession
    let inbox: Inbox<ReaderSessionInput>
    private var connection: (id: ConnectionID, connection: TCPConnection, reading: Task<Void, Never>, tap: CaptureConnectionTap?)?
    private var timers: [TimerPurpose: Task<Void, Never>] = [:]
    /// A failed connect is logged once until the reader connects again, not at every retry.
    private var failing = false
    /// What the reader last said it is, logged when it changes (a swapped reader, new firmware).
    private var identity: String?

    init(session: TCPReaderSession, inbox: Inbox<ReaderSessionInput>) {
        self.session = session
        self.inbox = inbox
    }

    /// Executes one action; a connect's outcome is returned, to be handed to the machine next.
    mutating func execute(_ action: ReaderSessionAction) async -> ReaderSessionInput? {
        let (reader, logger, address) = (session.reader, session.logger, session.address)
        session.observer(action)
        switch action {
        case .open(let id):
            do {
                let opened = try await TCPConnection.open(address, timeout: session.connectTimeout, budget: session.budget)
                let time = session.clock.wall()
                let tap = session.capture.map { CaptureConnectionTap(recorder: $0, framing: .llrpMessages, openedAt: time) }
                connection = (id, opened, read(opened, as: id, tap: tap), tap)
                session.opened(opened)
                failing = false
                logger.info("reader \(reader): connected to \(address)")
                return .opened(id, at: time)
            } catch {
                let failure = TCPSessionFailure.failure(error, connecting: address)
                if !failing { logger.warning("reader \(reader): \(failure); retrying") }
                failing = true
                return .openFailed(id, failure, at: session.clock.wall())
            }
        case .close(let id):
            guard let current = connection, current.id == id else { return nil }
            current.reading.cancel()
            current.connection.close()
            current.tap?.close("closed by the gateway", at: session.clock.wall())
            connection = nil
            timers.removeValue(forKey: .conversation)?.cancel()
            logger.info("reader \(reader): disconnected from \(address)")
        case .send(let message):
            // A failed write is the end of the connection the reading task reports.
            connection?.tap?.sent(message, at: session.clock.wall())
            connection?.connection.write(message)
        case .armTimer(let token, let delay):
            timers[token.purpose]?.cancel()
            let (inbox, clock) = (inbox, session.clock)
            timers[token.purpose] = Task {
                if await clock.sleep(for: delay) { inbox.post(.timerFired(token, at: clock.wall())) }
            }
        case .emit(let frames, let time):
            await session.emit(frames, time)
        case .health(let change):
            if case .disconnected(let failure?, _) = change, connection == nil, !failing {
                logger.warning("reader \(reader): \(failure); will reconnect")
            }
            if case .details(let details) = change { logIdentity(details) }
            session.health.apply(change, to: reader)
        case .notice(let text):
            logger.warning("reader \(reader): \(text)")
        }
        return nil
    }

    /// One line an operator can match against the reader's label: model, firmware, ports.
    private mutating func logIdentity(_ details: ReaderDetails) {
        guard let model = details.model else { return }
        var text = model
        if let firmware = details.firmware { text += ", firmware \(firmware)" }
        if let ports = details.antennaPorts { text += ", \(ports) antenna ports" }
        guard text != identity else { return }
        identity = text
        session.logger.info("reader \(session.reader): \(text)")
    }

    func cancelTimers() {
        for timer in timers.values { timer.cancel() }
    }

    /// Hands each chunk to the machine and waits until it is handled, so a slow pipeline stops
    /// the socket being read (counted) rather than queueing bytes here; then reports the end.
    private func read(_ connection: TCPConnection, as id: ConnectionID, tap: CaptureConnectionTap?) -> Task<Void, Never> {
        let (inbox, clock, logger, reader) = (inbox, session.clock, session.logger, session.reader)
        return Task {
            var reportedPauses = 0
            do {
                for try await chunk in connection.chunks {
                    let time = clock.wall()
                    tap?.received(chunk, at: time)
                    await inbox.deliver(.bytes(id, chunk, at: time))
                    let pauses = connection.chunks.pauses
                    if pauses != reportedPauses {
                        reportedPauses = pauses
                        inbox.post(.inputPaused(id, total: pauses))
                    }
                }
                guard !Task.isCancelled else { return }
                logger.warning("reader \(reader): \(connection.address) closed the connection; will reconnect")
                let time = clock.wall()
                tap?.close("the reader closed the connection", at: time)
                inbox.post(.unplugged(id, nil, at: time))
            } catch {
                guard !Task.isCancelled else { return }
                let failure = TCPSessionFailure.failure(error, connecting: connection.address)
                let time = clock.wall()
                tap?.close("\(failure)", at: time)
                inbox.post(.unplugged(id, failure, at: time))
            }
        }
    }
}
