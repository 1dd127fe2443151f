import Foundation
import Synchronization
import TagwayCapture
import TagwayEmulators
import TagwayModel
import TagwaySerial
import TagwaySimulator

/// An emulated serial reader on a pty that the real `tagway run` reads, which also writes down
/// what passed on the line as a capture: each chunk it sent (`rx`, as the gateway receives it),
/// each command it was sent (`tx`), with the wall clock's milliseconds. So a test has a live
/// gateway's events and the capture of exactly the same session to replay.
///
/// `@unchecked`: `records`, `stopped` are behind mutexes; the emulator, pty and field are the play
/// thread's once `start()` ran.
final class RecordedEmulatorSession: @unchecked Sendable {
    let path: String
    private var emulator: any ReaderEmulator
    private let scenario: Scenario
    private let pty: PseudoTerminal
    private var field: [FieldTag] = []
    private let records = Mutex<[CaptureRecord]>([])
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, emulator: any ReaderEmulator, scenario: Scenario) throws {
        self.path = path
        self.emulator = emulator
        self.scenario = scenario
        pty = try PseudoTerminal()
        unlink(path)
        guard symlink(pty.slavePath, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Plays the scenario on a thread of its own; the gateway has the port open by then, which
    /// is where the capture's `open` goes.
    func start() {
        note(.open, [])
        Thread { [self] in play() }.start()
    }

    /// Stops playing and returns the capture's records, ending with a `close`.
    func stop() -> [CaptureRecord] {
        stopped.withLock { $0 = true }
        finished.wait()
        note(.close, [])
        return records.withLock { $0 }
    }

    private static func wallClock() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    private func note(_ kind: CaptureRecord.Kind, _ bytes: [UInt8]) {
        let record = CaptureRecord(time: Self.wallClock(), kind: kind, payload: bytes)
        records.withLock { $0.append(record) }
    }

    private func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        // Noted before the write, so the gateway cannot have read them before their time.
        note(.rx, bytes)
        pty.write(bytes)
    }

    private func play() {
        let start = ContinuousClock.now
        var next = 0
        var nextTick = start
        while !stopped.withLock({ $0 }) {
            while next < scenario.steps.count, scenario.steps[next].at <= ContinuousClock.now - start {
                switch scenario.steps[next].action {
                case .enter(let tag):
                    field.removeAll { $0.id == tag.id }
                    field.append(tag)
                case .leave(let id): field.removeAll { $0.id == id }
                case .scan(let scan): send(emulator.scan(scan))
                case .antenna, .unplug, .replug, .end: break
                }
                next += 1
            }
            if ContinuousClock.now >= nextTick {
                send(emulator.unsolicited(field: field, now: Self.wallClock()))
                nextTick = nextTick.advanced(by: .milliseconds(100))
            }
            let wait = max(0, min(50, Int32((nextTick - ContinuousClock.now).wholeMilliseconds)))
            let input = pty.read(timeoutMs: wait)
            if !input.isEmpty {
                note(.tx, input)
                send(emulator.respond(to: input, field: field, now: Self.wallClock()))
            }
        }
        finished.signal()
    }

    /// The capture file: `header`, then the records in the order they happened.
    static func write(_ records: [CaptureRecord], header: CaptureHeader, to file: String) throws {
        var out = Array(CaptureFormat.headerText(header).utf8)
        for record in records { CaptureFormat.append(record, to: &out) }
        try Data(out).write(to: URL(fileURLWithPath: file))
    }

    deinit {
        pty.close()
        unlink(path)
    }
}
