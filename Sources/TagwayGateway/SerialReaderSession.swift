import Logging
import TagwayCapture
import TagwayConfig
import TagwayDecoders
import TagwayModel
import TagwayProtocols
import TagwayRuntime
import TagwaySerial
import TagwaySessions
import TagwaySettings
import TagwayUSB

/// Keeps one serial reader connected and feeds its frames to the pipeline: the termios shell of
/// `ReaderSessionMachine`.
///
/// Every decision (when to reopen, how long to back off, what to send a commanded reader, how
/// bytes become frames, what health says) is the machine's; this executes its actions on a
/// `SerialPort`, runs its timers on the monotonic clock, and turns the port's chunks, udev's
/// arrival of the port and cancellation into the machine's inputs, one at a time.
struct SerialReaderSession: Sendable {
    let reader: ReaderConfig
    let pipeline: Pipeline
    let health: HealthBoard
    let logger: Logger
    let clock: @Sendable () -> Timestamp
    /// udev announces the port coming back, so the reconnect need not wait out the backoff.
    var arrivals: UDevMonitor? = nil
    /// The clock the backoff and poll timers sleep on.
    var timers: GatewayClock = .system
    /// Where the connection's bytes are recorded (`capture:`); nil: not recorded.
    var capture: (any CaptureRecording)? = nil

    func run() async {
        guard let path = reader.port ?? reader.usbPort?.description, let descriptor = ProtocolRegistry.descriptor(for: reader.profile.protocolID)?.serial,
              let decoder = try? descriptor.makeDecoder(reader.settings)
        else {
            logger.error("reader \(reader.id): no port or unknown protocol \(reader.profile.protocolID)")
            return
        }
        let plan = ReaderSessionPlan(decoding: .byteStream(FrameAssembler(decoder)), polling: descriptor.polling(reader.settings),
                                     technology: reader.profile.technology)
        var machine = ReaderSessionMachine(plan: plan, random: SystemRandomNumberGenerator())
        health.register(reader.id, path: path)
        let inbox = Inbox<ReaderSessionInput>()
        let watcher = arrivals.map { Self.watch($0, for: reader.usbPort.map(Arrival.usb) ?? .path(path), into: inbox) }
        var shell = SerialSessionShell(session: self, path: path, inbox: inbox)
        inbox.post(.start(at: clock()))

        await machine.drive(inbox, shell: &shell) { input, machine in
            if case .deviceAdded = input, machine.openConnection == nil {
                logger.info("reader \(reader.id): \(path) appeared; opening it")
            }
        }
        watcher?.cancel()
    }

    /// Whether what the reader's line held before the gateway opened it is dropped. A tag reader's
    /// read says "here now": queued, it is a reply to a command of a gateway that is gone (a
    /// commanded reader's) or a read from while nobody listened, and stamped at the open it would
    /// make a tag that has left arrive again. A barcode scan is an act, not a presence: one made
    /// while the gateway restarted is kept, and logged when read.
    static func discardsQueuedInput(_ profile: DeviceProfile) -> Bool {
        profile.technology != "barcode"
    }

    /// What announces the reader's port: a tty at a path, or any tty with the reader's USB identity.
    private enum Arrival: Sendable {
        case path(String)
        case usb(USBSerialPortMatch)
    }

    /// Posts `.deviceAdded` when udev adds a tty whose node is `path`, or what `path` (often a
    /// /dev/tagway/ or /dev/serial/by-id/ link, which udev has made by the time it reports) points
    /// to; for a reader given by USB serial number, a tty with that USB identity, whatever its name.
    private static func watch(_ monitor: UDevMonitor, for arrival: Arrival, into inbox: Inbox<ReaderSessionInput>) -> Task<Void, Never> {
        let events = monitor.subscribe()
        return Task {
            for await event in events where event.action == .add && event.device.isSerialPort {
                switch arrival {
                case .path(let path):
                    guard let node = event.device.devnode, node == path || DeviceInventory.realPath(path) == node else { continue }
                case .usb(let match):
                    guard USBSerialPortLookup.matches(match, event.device) else { continue }
                }
                inbox.post(.deviceAdded)
            }
        }
    }
}

/// The serial session's I/O: the open port, the task reading it, the armed timers.
private struct SerialSessionShell: ReaderSessionShell {
    let session: SerialReaderSession
    /// The port opened; for a reader given by USB serial number, the tty found at the last open.
    var path: String
    let inbox: Inbox<ReaderSessionInput>
    private var port: (id: ConnectionID, port: SerialPort, reading: Task<Void, Never>, tap: CaptureConnectionTap?)?
    private var timers: [TimerPurpose: Task<Void, Never>] = [:]
    /// A failed open is logged once until the reader connects again, not at every retry.
    private var failing = false

    init(session: SerialReaderSession, path: String, inbox: Inbox<ReaderSessionInput>) {
        self.session = session
        self.path = path
        self.inbox = inbox
    }

    /// Executes one action; an open's outcome is returned, to be handed to the machine next.
    mutating func execute(_ action: ReaderSessionAction) async -> ReaderSessionInput? {
        let (reader, logger) = (session.reader, session.logger)
        switch action {
        case .open(let id):
            if let match = reader.usbPort {
                // Looked up at each open: after a replug or reboot the reader's tty may have another name.
                let ports = (try? UDevEnumerator.serialPorts()) ?? []
                switch USBSerialPortLookup.node(for: match, among: ports) {
                case .success(let node):
                    if node != path { session.health.update(reader.id) { $0.path = node } }
                    path = node
                case .failure(let failure):
                    if !failing { logger.warning("reader \(reader.id): \(failure.description); retrying") }
                    failing = true
                    return .openFailed(id, failure, at: session.clock())
                }
            }
            do throws(SerialError) {
                let opened = try SerialPort.open(path: path, settings: reader.serial ?? SerialSettings(),
                                                 discardingQueuedInput: SerialReaderSession.discardsQueuedInput(reader.profile))
                let time = session.clock()
                let tap = session.capture.map { CaptureConnectionTap(recorder: $0, framing: .chunks, openedAt: time) }
                port = (id, opened, read(opened, as: id, tap: tap), tap)
                failing = false
                let stale = opened.discardedAtOpen > 0 ? "; discarded \(opened.discardedAtOpen) bytes queued before the open" : ""
                logger.info("reader \(reader.id): connected on \(path) (\(opened.settings))\(stale)")
                return .opened(id, at: time)
            } catch {
                if !failing { logger.warning("reader \(reader.id): \(error); retrying") }
                failing = true
                return .openFailed(id, SessionFailure(kind: error.kind, description: error.description), at: session.clock())
            }
        case .close(let id):
            guard let current = port, current.id == id else { return nil }
            current.reading.cancel()
            current.port.close()
            current.tap?.close("closed by the gateway", at: session.clock())
            port = nil
            timers.removeValue(forKey: .command)?.cancel()
        case .send(let command):
            // A failed write is the disconnect the reading task reports.
            port?.tap?.sent(command, at: session.clock())
            try? port?.port.write(command)
        case .armTimer(let token, let delay):
            timers[token.purpose]?.cancel()
            let (inbox, clock, wall) = (inbox, session.timers, session.clock)
            timers[token.purpose] = Task {
                if await clock.sleep(for: delay) { inbox.post(.timerFired(token, at: wall())) }
            }
        case .emit(let frames, let time):
            let point = reader
            // Not waiting for the commit: the port is read on while the log syncs (see `Pipeline.submit`).
            await session.pipeline.submit(reader: reader.id, readPoint: { point.readPoint(antenna: $0) }, frames: frames, time: time)
        case .health(let change):
            session.health.apply(change, to: reader.id)
        case .notice(let text):
            logger.warning("reader \(reader.id): \(text)")
        }
        return nil
    }

    func cancelTimers() {
        for timer in timers.values { timer.cancel() }
    }

    /// Hands each chunk to the machine and waits until it is handled, so a slow pipeline pauses
    /// the port (counted) rather than queueing bytes here; then reports the end of the port.
    private func read(_ port: SerialPort, as id: ConnectionID, tap: CaptureConnectionTap?) -> Task<Void, Never> {
        let (inbox, clock, logger, reader) = (inbox, session.clock, session.logger, session.reader.id)
        return Task {
            var reportedPauses = 0
            do {
                for try await chunk in port.chunks {
                    let time = clock()
                    tap?.received(chunk, at: time)
                    await inbox.deliver(.bytes(id, chunk, at: time))
                    let pauses = port.chunks.pauses
                    if pauses != reportedPauses {
                        reportedPauses = pauses
                        inbox.post(.inputPaused(id, total: pauses))
                    }
                }
                if !Task.isCancelled {
                    let time = clock()
                    tap?.close("end of input", at: time)
                    inbox.post(.unplugged(id, nil, at: time))
                }
            } catch {
                guard !Task.isCancelled else { return }
                let kind = (error as? SerialError)?.kind ?? "io"
                logger.warning("reader \(reader): \(error); will reconnect")
                let time = clock()
                tap?.close("\(error)", at: time)
                inbox.post(.unplugged(id, SessionFailure(kind: kind, description: "\(error)"), at: time))
            }
        }
    }
}
