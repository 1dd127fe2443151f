import TagwayCapture
import TagwayHID
import TagwayModel
import TagwayRuntime
import TagwaySessions

/// The libusb shell of one reader session: executes `ReaderSessionMachine`'s actions (open the
/// reader, close it, arm timers, hand scans and health on as events) and turns udev, libusb
/// hot-plug, the connection's reports and timers into the machine's inputs. It runs in one task
/// and owns all its state, so nothing here is shared or locked; other tasks only feed `inputs`.
struct SessionLoop {
    let configuration: HIDReaderConfiguration
    let context: USBContext
    let clock: GatewayClock
    let output: AsyncStream<HIDReaderSessionEvent>.Continuation
    let inputs: AsyncStream<SessionInput>.Continuation
    /// Records each report, and each connection's open and close (`capture:`).
    var capture: (any CaptureRecording)?

    private var machine: ReaderSessionMachine<SystemRandomNumberGenerator>
    private var connection: (id: ConnectionID, handle: HIDReaderConnection, forwarder: Task<Void, Never>)?
    private var timers: [TimerPurpose: Task<Void, Never>] = [:]
    /// The libusb error behind the failure the machine is being told about, for the events.
    private var failure: (error: USBError, whileOpening: Bool)?

    init(
        configuration: HIDReaderConfiguration, context: USBContext, clock: GatewayClock,
        output: AsyncStream<HIDReaderSessionEvent>.Continuation, inputs: AsyncStream<SessionInput>.Continuation
    ) {
        self.configuration = configuration
        self.context = context
        self.clock = clock
        self.output = output
        self.inputs = inputs
        let plan = ReaderSessionPlan(decoding: .reports, backoff: configuration.retry, technology: configuration.technology)
        machine = ReaderSessionMachine(plan: plan, random: SystemRandomNumberGenerator())
    }

    mutating func run(_ stream: AsyncStream<SessionInput>, publish: (HIDDecoderStatistics) -> Void) async {
        await feed(.start(at: clock.wall()))
        for await input in stream {
            switch input {
            case .stop:
                await feed(.stop)
            case .udev(let event):
                guard configuration.match.matches(event.device) else { continue }
                switch event.action {
                case .add: await feed(.deviceAdded)
                case .change, .bind: await feed(.deviceChanged)
                default:
                    // A removal is acted on when the transfers fail with no-device: they come after every
                    // report that completed before the unplug, so no finished scan is lost.
                    break
                }
            case .usbArrived:
                await feed(.deviceAdded)
            case .lost(let id, let error, let time):
                failure = (error, false)
                let recovery: SessionFailure.Recovery = error.kind == .noDevice ? .waitForDevice : .retryAfterBackoff
                await feed(.unplugged(id, SessionFailure(kind: error.kind.rawValue, description: error.description, recovery: recovery), at: time))
            case .machine(let input):
                await feed(input)
            }
            if let statistics = machine.decoderStatistics { publish(statistics) }
            if machine.isStopped { break }
        }
        await feed(.stop)
        for timer in timers.values { timer.cancel() }
    }

    /// Hands `input` to the machine and executes its actions, and those of the outcomes they produce.
    private mutating func feed(_ input: ReaderSessionInput) async {
        var pending = [input]
        while !pending.isEmpty {
            for action in machine.handle(pending.removeFirst()) {
                if let outcome = await execute(action) { pending.append(outcome) }
            }
        }
    }

    private mutating func execute(_ action: ReaderSessionAction) async -> ReaderSessionInput? {
        switch action {
        case .open(let id):
            return await open(id)
        case .close(let id):
            guard let current = connection, current.id == id else { return nil }
            connection = nil
            current.forwarder.cancel()
            await current.handle.close()
            // The loss being handled, if any, is why it closed (`failure` is cleared after the health change).
            let reason = failure.map { $0.error.description } ?? "closed by the gateway"
            capture?.record(CaptureRecord(time: clock.wall(), kind: .close, payload: Array(reason.utf8)))
            timers.removeValue(forKey: .scanDeadline)?.cancel()
        case .send:
            // HID readers take no commands (no polling plan); nothing to write.
            break
        case .armTimer(let token, let delay):
            timers[token.purpose]?.cancel()
            let (inputs, clock) = (inputs, clock)
            timers[token.purpose] = Task {
                if await clock.sleep(for: delay) { inputs.yield(.machine(.timerFired(token, at: clock.wall()))) }
            }
        case .emit(let frames, let time):
            for frame in frames { output.yield(.frame(frame, time: time)) }
        case .health(let change):
            announce(change)
            output.yield(.health(change))
        case .notice:
            // Only conversations give notices, and HID readers hold none.
            break
        }
        return nil
    }

    /// The descriptive events (for logs and the probe) that go with a health change.
    private mutating func announce(_ change: HealthChange) {
        switch change {
        case .waitingForDevice:
            output.yield(.waiting(configuration.match))
        case .disconnected(_, let retryIn):
            guard let cause = failure else { return }
            failure = nil
            output.yield(cause.whileOpening ? .openFailed(cause.error, retryIn: retryIn) : .disconnected(cause.error))
        case .connected, .received, .count, .details:
            break
        }
    }

    private mutating func open(_ id: ConnectionID) async -> ReaderSessionInput {
        let (match, context, transfers, wall) = (configuration.match, context, configuration.transfers, clock.wall)
        do {
            let opened = try await BlockingCall.run { () throws(USBError) -> HIDReaderConnection in
                try HIDReaderConnection.open(match, context: context, transfers: transfers, clock: wall)
            }
            guard let decoder = configuration.decoding.decoder(for: opened.readerKind) else {
                await opened.close()
                let error = USBError(kind: .unsupportedInterface, operation: "read as \(configuration.decoding)",
                                     name: "descriptor says \(opened.readerKind.name)", device: match.id, path: opened.device.path)
                failure = (error, true)
                return .openFailed(id, SessionFailure(kind: error.kind.rawValue, description: error.description, recovery: .waitForDevice),
                                   at: wall())
            }
            let (inputs, capture) = (inputs, capture)
            capture?.record(CaptureRecord(time: wall(), kind: .open))
            let forwarder = Task {
                for await event in opened.events {
                    switch event {
                    case .report(let report):
                        capture?.record(CaptureRecord(time: report.time, kind: .hid, payload: report.bytes))
                        inputs.yield(.machine(.report(id, report.bytes, at: report.time)))
                    case .disconnected(let error): inputs.yield(.lost(id, error, at: wall()))
                    }
                }
            }
            connection = (id, opened, forwarder)
            output.yield(.connected(opened.device, opened.readerKind))
            return .opened(id, at: wall(), path: opened.device.path, reportDecoder: decoder)
        } catch where error.kind == .notFound {
            return .absent(id)
        } catch {
            failure = (error, true)
            return .openFailed(id, SessionFailure(kind: error.kind.rawValue, description: error.description), at: wall())
        }
    }
}
