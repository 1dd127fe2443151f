import Foundation
import Synchronization
import TagwayEmulators
import TagwayModel
import TagwayRuntime
import TagwaySerial

/// One simulated reader: an emulator playing a scenario on the master side of a pty.
///
/// `path` is a symlink that always points at the current pty's slave, so the gateway can be
/// configured with one stable port and see the reader vanish (`unplug`: the pty closes, reads
/// fail with EIO) and come back (`replug`: a new pty, the link re-pointed atomically), exactly as
/// a /dev/tagway/ udev symlink behaves when a USB adapter is pulled and put back.
///
/// `@unchecked`: `stopped` is behind its mutex; `emulator`, `pty` and `field` are touched only by
/// the play thread once `start()` ran (by `init` before); `thread` and `onStep` are set before
/// `start()` and not after.
public final class SimulatedReader: @unchecked Sendable {
    public let path: String
    private var emulator: any ReaderEmulator
    private let scenario: Scenario
    private let loop: Bool
    private let tick: Duration
    private var pty: PseudoTerminal?
    private var field: [FieldTag] = []
    private let stopped = Mutex(false)
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    /// The reader's fixed line rate, when it has one to enforce: opened at another rate, it is
    /// heard as garbage and does not hear the host (`LineRateMismatch`). Nil: any rate works, as
    /// before (a pty has no real rate).
    private let lineRate: Int?
    /// Called after each step is applied, for a console narration of the demo.
    public var onStep: (@Sendable (Scenario.Step) -> Void)?

    public init(path: String, emulator: any ReaderEmulator, scenario: Scenario, loop: Bool = false,
                tick: Duration = .milliseconds(100), lineRate: Int? = nil) throws(SerialError) {
        self.path = path
        self.lineRate = lineRate
        self.emulator = emulator
        self.scenario = scenario
        self.loop = loop
        self.tick = tick
        try plug()
    }

    /// Starts playing on a thread of its own (the simulator blocks in poll on the pty).
    public func start() {
        let thread = Thread { [self] in play() }
        thread.name = "tagway-sim \(path)"
        self.thread = thread
        thread.start()
    }

    public func stop() {
        stopped.withLock { $0 = true }
    }

    /// Blocks until the reader has stopped (an `end` step, or `stop()`), pty closed and link removed.
    public func wait() {
        finished.wait()
        finished.signal()
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func plug() throws(SerialError) {
        let pty = try PseudoTerminal()
        let temporary = path + ".new"
        unlink(temporary)
        guard symlink(pty.slavePath, temporary) == 0, rename(temporary, path) == 0 else {
            let err = errno
            throw .io(path: path, call: "symlink", errno: err, message: String(cString: strerror(err)))
        }
        self.pty = pty
    }

    /// Plays the scenario: due steps are applied, passive readers speak every tick, commands are
    /// answered as they come. After the last step the reader stays powered (tags still in the
    /// field keep being read) until stopped, or, with `loop`, the scenario starts over.
    private func play() {
        var start = ContinuousClock.now
        var next = 0
        var nextTick = ContinuousClock.now
        while !isStopped {
            let elapsed = ContinuousClock.now - start
            while next < scenario.steps.count, scenario.steps[next].at <= elapsed {
                apply(scenario.steps[next])
                next += 1
            }
            if next == scenario.steps.count, loop, elapsed >= scenario.duration + .seconds(1) {
                start = ContinuousClock.now
                next = 0
                field = []
            }
            if ContinuousClock.now >= nextTick {
                let bytes = emulator.unsolicited(field: field, now: Self.wallClock())
                if !bytes.isEmpty { send(bytes) }
                nextTick = nextTick.advanced(by: tick)
            }
            pump(until: nextTick)
        }
        pty?.close()
        unlink(path)
        finished.signal()
    }

    private static func wallClock() -> Timestamp { SystemClock.now() }

    /// Answers the gateway's commands until `deadline`.
    private func pump(until deadline: ContinuousClock.Instant) {
        let remaining = deadline - ContinuousClock.now
        let ms = max(0, Int32(remaining.wholeMilliseconds))
        guard let pty else {
            Thread.sleep(forTimeInterval: Double(ms) / 1000)
            return
        }
        let input = pty.read(timeoutMs: min(ms, 50))
        if !input.isEmpty, rateMatches {
            let reply = emulator.respond(to: input, field: field, now: Self.wallClock())
            if !reply.isEmpty { send(reply) }
        }
    }

    /// Whether the host opened the port at the reader's rate (always, without a fixed rate).
    private var rateMatches: Bool {
        guard let lineRate, let pty else { return true }
        return pty.slaveSpeed == SerialPort.speed(baud: lineRate)
    }

    /// Writes what the reader says, as the host hears it at the rate it opened the port with.
    private func send(_ bytes: [UInt8]) {
        pty?.write(rateMatches ? bytes : LineRateMismatch.heard(bytes))
    }

    private func apply(_ step: Scenario.Step) {
        switch step.action {
        case .enter(let tag):
            field.enter(tag)
        case .leave(let id):
            field.leave(id)
        case .scan(let scan):
            let bytes = emulator.scan(scan)
            if !bytes.isEmpty { send(bytes) }
        case .antenna:
            break  // a serial module's antenna is not scripted
        case .unplug:
            pty?.close()
            pty = nil
            unlink(path)
        case .replug:
            if pty == nil { try? plug() }
        case .end:
            // Without --loop the reader is switched off; with it, `end` only marks where the
            // scenario starts over.
            if !loop { stopped.withLock { $0 = true } }
        }
        onStep?(step)
    }
}
