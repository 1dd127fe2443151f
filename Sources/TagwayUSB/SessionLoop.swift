import TagwayHID
import TagwayModel

/// The state machine of one reader session. It runs in one task and owns all its state, so
/// nothing here is shared or locked; other tasks only feed `inputs`.
struct SessionLoop {
    let configuration: HIDReaderConfiguration
    let context: USBContext
    let clock: @Sendable () -> Timestamp
    let output: AsyncStream<HIDReaderSessionEvent>.Continuation
    let inputs: AsyncStream<SessionInput>.Continuation

    private var connection: HIDReaderConnection?
    /// Bumped whenever the connection changes, so events of an old connection are ignored.
    private var generation: UInt64 = 0
    private var forwarder: Task<Void, Never>?
    private var decoder: HIDReportDecoder?
    private var deadline: (at: Timestamp, token: UInt64, task: Task<Void, Never>)?
    private var tokens: UInt64 = 0
    private var retry: (token: UInt64, task: Task<Void, Never>)?
    private var backoff: Backoff
    private var random = SystemRandomNumberGenerator()
    private var announcedAbsent = false
    /// Set when the reader is attached but unusable as configured; cleared when it is replugged.
    private var refused = false

    init(
        configuration: HIDReaderConfiguration, context: USBContext, clock: @escaping @Sendable () -> Timestamp,
        output: AsyncStream<HIDReaderSessionEvent>.Continuation, inputs: AsyncStream<SessionInput>.Continuation
    ) {
        self.configuration = configuration
        self.context = context
        self.clock = clock
        self.output = output
        self.inputs = inputs
        self.backoff = configuration.retry
    }

    mutating func run(_ stream: AsyncStream<SessionInput>, publish: (HIDDecoderStatistics) -> Void) async {
        await open()
        for await input in stream {
            switch input {
            case .stop:
                await closeConnection()
                retry?.task.cancel()
                deadline?.task.cancel()
                return
            case .udev(let event):
                await handle(event)
            case .usbArrived:
                refused = false
                await open()
            case .retry(let token):
                if retry?.token == token { await open() }
            case .connection(let from, let event):
                guard from == generation else { continue }
                await handle(event)
            case .deadline(let token):
                guard deadline?.token == token else { continue }
                deadline = nil
                let now = clock()
                let frames = decoder?.flush(now: now) ?? []
                emit(frames, at: now)
                scheduleDeadline()
            }
            if let decoder { publish(decoder.statistics) }
        }
        await closeConnection()
    }

    private mutating func handle(_ event: UDevEvent) async {
        guard configuration.match.matches(event.device) else { return }
        switch event.action {
        case .add, .change, .bind:
            if event.action == .add { refused = false }
            await open()
        default:
            // A removal is acted on when the transfers fail with no-device: they come after every
            // report that completed before the unplug, so no finished scan is lost.
            break
        }
    }

    private mutating func handle(_ event: HIDReaderEvent) async {
        switch event {
        case .report(let report):
            let frames = decoder?.feed(report: report.bytes, at: report.time) ?? []
            emit(frames, at: report.time)
            scheduleDeadline()
        case .disconnected(let error):
            await closeConnection()
            output.yield(.disconnected(error))
            announcedAbsent = true
            if error.kind != .noDevice { scheduleRetry() }
        }
    }

    private mutating func open() async {
        guard connection == nil, !refused else { return }
        retry?.task.cancel()
        retry = nil
        let (match, context, transfers, clock) = (configuration.match, context, configuration.transfers, clock)
        do {
            let opened = try await BlockingCall.run { () throws(USBError) -> HIDReaderConnection in
                try HIDReaderConnection.open(match, context: context, transfers: transfers, clock: clock)
            }
            guard let newDecoder = makeDecoder(for: opened) else {
                await opened.close()
                refused = true
                let error = USBError(kind: .unsupportedInterface, operation: "read as \(configuration.decoding)",
                                     name: "descriptor says \(opened.readerKind.name)", device: match.id, path: opened.device.path)
                output.yield(.openFailed(error, retryIn: nil))
                return
            }
            if decoder == nil { decoder = newDecoder }
            connection = opened
            generation += 1
            backoff.reset()
            announcedAbsent = false
            output.yield(.connected(opened.device, opened.readerKind))
            let (inputs, current) = (inputs, generation)
            forwarder = Task {
                for await event in opened.events { inputs.yield(.connection(generation: current, event)) }
            }
        } catch where error.kind == .notFound {
            if !announcedAbsent { output.yield(.waiting(match)) }
            announcedAbsent = true
        } catch {
            output.yield(.openFailed(error, retryIn: scheduleRetry()))
        }
    }

    /// The decoder the configuration asks for, if the reader's descriptor allows it.
    private func makeDecoder(for connection: HIDReaderConnection) -> HIDReportDecoder? {
        configuration.decoding.decoder(for: connection.readerKind)
    }

    private mutating func closeConnection() async {
        guard let current = connection else { return }
        connection = nil
        generation += 1
        forwarder?.cancel()
        forwarder = nil
        await current.close()
        decoder?.reset()
        deadline?.task.cancel()
        deadline = nil
    }

    private func emit(_ frames: [ReaderFrame], at time: Timestamp) {
        for frame in frames { output.yield(.frame(frame, time: time)) }
    }

    /// Keeps one timer task for the decoder's next deadline (the inter-key timeout).
    private mutating func scheduleDeadline() {
        let next = decoder?.nextDeadline
        if next == deadline?.at { return }
        deadline?.task.cancel()
        deadline = nil
        guard let next else { return }
        tokens += 1
        let (token, inputs, delay) = (tokens, inputs, next - clock())
        let task = Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
            if !Task.isCancelled { inputs.yield(.deadline(token: token)) }
        }
        deadline = (next, token, task)
    }

    @discardableResult
    private mutating func scheduleRetry() -> Duration {
        retry?.task.cancel()
        tokens += 1
        let (token, inputs, delay) = (tokens, inputs, backoff.next(using: &random))
        let task = Task {
            try? await Task.sleep(for: delay)
            if !Task.isCancelled { inputs.yield(.retry(token: token)) }
        }
        retry = (token, task)
        return delay
    }
}
