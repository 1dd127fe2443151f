import Foundation
import Synchronization
import TagwayCapture
import TagwayModel
import TagwaySerial

/// Plays a serial capture on a pty, byte-exact with its timing (`tagway simulate --replay`): the
/// gpsfake of Tagway. `path` is a symlink to the current pty, as for `SimulatedReader`, so a
/// recorded unplug is a vanished port and a replug a new pty behind the same path.
///
/// `@unchecked`: `pty` and `watch` are touched by `init` and then only by the play thread;
/// `stopped` is behind its mutex.
public final class CaptureReplayReader: @unchecked Sendable {
    public let path: String
    private let cues: [CaptureCues.Cue]
    private var pty: PseudoTerminal?
    private var watch: PortOpenWatch?
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Told when every cue has been played (the reader stays plugged in, silent, until stopped).
    public var onPlayed: (@Sendable () -> Void)?

    public init(path: String, cues: [CaptureCues.Cue]) throws(SerialError) {
        self.path = path
        self.cues = cues
        try plug()
    }

    public func start() {
        let thread = Thread { [self] in play() }
        thread.name = "tagway-replay \(path)"
        thread.start()
    }

    public func stop() {
        stopped.withLock { $0 = true }
    }

    /// Blocks until stopped, pty closed and link removed.
    public func wait() {
        finished.wait()
        finished.signal()
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func plug() throws(SerialError) {
        let pty = try PseudoTerminal()
        // Watching before the link points at it: an open right after the rename is not missed.
        watch = PortOpenWatch(path: pty.slavePath)
        let temporary = path + ".new"
        unlink(temporary)
        guard symlink(pty.slavePath, temporary) == 0, rename(temporary, path) == 0 else {
            let err = errno
            throw .io(path: path, call: "symlink", errno: err, message: String(cString: strerror(err)))
        }
        self.pty = pty
    }

    private func unplug() {
        pty?.close()
        pty = nil
        watch = nil
        unlink(path)
    }

    private func play() {
        var origin = ContinuousClock.now
        var unpluggedAt = ContinuousClock.now
        for cue in cues {
            guard !isStopped else { break }
            switch cue {
            case .waitForOpen:
                waitForOpen()
                origin = ContinuousClock.now
            case .send(let bytes, let at):
                drain(until: origin + at)
                pty?.write(bytes)
            case .unplug(let at):
                drain(until: origin + at)
                unplug()
                unpluggedAt = ContinuousClock.now
            case .replug(let after):
                drain(until: unpluggedAt + after)
                if pty == nil { try? plug() }
            }
        }
        if !isStopped { onPlayed?() }
        while !isStopped { drain(until: ContinuousClock.now + .milliseconds(100)) }
        unplug()
        finished.signal()
    }

    /// Waits for the host to open the port, reading (and discarding) what it sends meanwhile.
    private func waitForOpen() {
        guard let watch else { return }
        while !isStopped, !watch.opened(timeoutMs: 5) {
            _ = pty?.read(timeoutMs: 0)
        }
    }

    /// Reads (and discards) the host's commands until `deadline`, or until stopped.
    private func drain(until deadline: ContinuousClock.Instant) {
        while !isStopped {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return }
            let ms = Int32(clamping: min(50, max(1, remaining.wholeMilliseconds)))
            if let pty { _ = pty.read(timeoutMs: ms) } else { Thread.sleep(forTimeInterval: Double(ms) / 1000) }
        }
    }
}
