import NIOCore
import TagwayEmulators
import TagwayModel
import TagwayRuntime

/// The emulated LLRP reader on its event loop: the emulator, the scenario's field, and the one
/// client it serves. A second client is told the reader is taken and closed, as a real reader
/// does; the first one's connection goes on.
///
/// `@unchecked Sendable`: every property is touched on `loop` only: the connection handlers run
/// there, the tick is scheduled there, and the server's calls hop there first.
final class LLRPEmulatorHost: @unchecked Sendable {
    let loop: any EventLoop
    private var emulator: LLRPReaderEmulator
    private let scenario: Scenario
    private let loops: Bool
    private var field: [FieldTag] = []
    private var nextStep = 0
    /// When the scenario's clock started; nil until the first client connects when the
    /// scenario waits for one.
    private var startedAt: NIODeadline?
    private var client: (any Channel)?
    /// Between `unplug` and `replug` the reader is off: connections are closed without a word.
    private var unplugged = false
    private let report: @Sendable (String) -> Void
    private let onStep: (@Sendable (Scenario.Step) -> Void)?
    /// Completed when the scenario ends (an `end` step without looping) or the server stops.
    let ended: EventLoopPromise<Void>

    init(loop: any EventLoop, emulator: LLRPReaderEmulator, scenario: Scenario, loops: Bool, waitForClient: Bool,
         report: @escaping @Sendable (String) -> Void, onStep: (@Sendable (Scenario.Step) -> Void)?) {
        self.loop = loop
        self.emulator = emulator
        self.scenario = scenario
        self.loops = loops
        self.report = report
        self.onStep = onStep
        startedAt = waitForClient ? nil : .now()
        ended = loop.makePromise()
    }

    private var now: Timestamp { SystemClock.now() }

    private var flooding: Bool { emulator.script.faults.floodReportsPerCall != nil }

    // MARK: connections

    func connected(_ channel: any Channel) {
        let peer = channel.remoteAddress.map { "\($0)" } ?? "a client"
        if unplugged {
            report("reader is unplugged: closed the connection from \(peer)")
            channel.close(promise: nil)
            return
        }
        if client != nil {
            report("refused \(peer): another client holds the reader")
            closeAfter(channel.writeAndFlush(ByteBuffer(bytes: emulator.refusal(now: now))), channel)
            return
        }
        client = channel
        if startedAt == nil { startedAt = .now() }
        let greeting = emulator.accepted(field: field, now: now)
        report("client \(peer) connected (connection \(emulator.connections))")
        send(greeting, to: channel)
    }

    func received(_ bytes: [UInt8], from channel: any Channel) {
        guard isClient(channel) else { return }
        send(emulator.respond(to: bytes, field: field, now: now), to: channel)
    }

    func disconnected(_ channel: any Channel) {
        guard isClient(channel) else { return }
        client = nil
        report("client disconnected")
    }

    /// The socket took what was queued: a flooding reader writes on at once.
    func writable(_ channel: any Channel) {
        guard isClient(channel), flooding else { return }
        speak(to: channel)
    }

    /// Closes the client's connection now, as a reader rebooting or a cable pulled.
    func dropClient() {
        guard let client else { return }
        report("dropping the client's connection")
        client.close(promise: nil)
        self.client = nil
    }

    func stop() {
        dropClient()
        end()
    }

    private var hasEnded = false

    private func end() {
        guard !hasEnded else { return }
        hasEnded = true
        ended.succeed(())
    }

    private func isClient(_ channel: any Channel) -> Bool {
        client.map { $0 === channel } ?? false
    }

    // MARK: the tick

    /// Applies the scenario's due steps and lets the reader speak.
    func tick() {
        guard let startedAt else { return }
        let elapsed = Duration.nanoseconds((NIODeadline.now() - startedAt).nanoseconds)
        while nextStep < scenario.steps.count, scenario.steps[nextStep].at <= elapsed {
            apply(scenario.steps[nextStep])
            nextStep += 1
        }
        if loops, nextStep == scenario.steps.count, elapsed >= scenario.duration + .seconds(1) {
            self.startedAt = .now()
            nextStep = 0
            field = []
        }
        if let client { speak(to: client) }
    }

    private func speak(to channel: any Channel) {
        guard flooding else {
            send(emulator.unsolicited(field: field, now: now), to: channel)
            return
        }
        // As fast as the socket takes it: write until the channel's buffer is over its high
        // watermark, then wait for `writable` (TCP backpressure from a slow client).
        var last: EventLoopFuture<Void>?
        while channel.isWritable, !emulator.closeRequested {
            let bytes = emulator.unsolicited(field: field, now: now)
            if bytes.isEmpty { break }
            last = channel.write(ByteBuffer(bytes: bytes))
        }
        channel.flush()
        if emulator.closeRequested { closeAfter(last, channel) }
    }

    private func send(_ bytes: [UInt8], to channel: any Channel) {
        let written = bytes.isEmpty ? nil : channel.writeAndFlush(ByteBuffer(bytes: bytes))
        if emulator.closeRequested { closeAfter(written, channel) }
    }

    /// Closes once `write` is done (a response, a refusal), or at once when nothing was written.
    private func closeAfter(_ write: EventLoopFuture<Void>?, _ channel: any Channel) {
        if isClient(channel) { client = nil }
        guard let write else {
            channel.close(promise: nil)
            return
        }
        write.whenComplete { _ in channel.close(promise: nil) }
    }

    private func apply(_ step: Scenario.Step) {
        switch step.action {
        case .enter(let tag):
            field.enter(tag)
        case .leave(let id):
            field.leave(id)
        case .scan:
            break
        case .antenna(let port, let connected):
            emulator.setAntenna(UInt16(clamping: port), connected: connected)
        case .unplug:
            unplugged = true
            dropClient()
        case .replug:
            unplugged = false
        case .end:
            if !loops { end() }
        }
        onStep?(step)
    }
}
