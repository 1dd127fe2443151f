import Synchronization
import TagwayCapture
import TagwayModel

/// One reader connection's records: its `open`, what was read (`rx` chunks, or whole `llrp`
/// messages), what was sent (`tx`), and one `close` with its reason, whichever side saw the end
/// first (the reading task seeing the port go, or the shell closing it).
final class CaptureConnectionTap: Sendable {
    enum Framing: Sendable {
        /// Bytes as the reads returned them (serial).
        case chunks
        /// Whole LLRP messages (TCP).
        case llrpMessages
    }

    private struct State {
        var closed = false
        var splitter: CaptureMessageSplitter?
    }

    private let recorder: any CaptureRecording
    private let state: Mutex<State>

    /// Records the `open` at `time`.
    init(recorder: any CaptureRecording, framing: Framing, openedAt time: Timestamp) {
        self.recorder = recorder
        state = Mutex(State(splitter: framing == .llrpMessages ? CaptureMessageSplitter() : nil))
        recorder.record(CaptureRecord(time: time, kind: .open))
    }

    func received(_ bytes: [UInt8], at time: Timestamp) {
        let records = state.withLock { s -> [CaptureRecord] in
            guard !s.closed else { return [] }
            guard s.splitter != nil else { return [CaptureRecord(time: time, kind: .rx, payload: bytes)] }
            return s.splitter?.split(bytes, at: time) ?? []
        }
        for record in records { recorder.record(record) }
    }

    func sent(_ bytes: [UInt8], at time: Timestamp) {
        recorder.record(CaptureRecord(time: time, kind: .tx, payload: bytes))
    }

    /// The first call records the `close` (after an unfinished message's bytes, as `rx`); later ones nothing.
    func close(_ reason: String, at time: Timestamp) {
        let rest = state.withLock { s -> CaptureRecord?? in
            guard !s.closed else { return nil }
            s.closed = true
            return .some(s.splitter?.remainder(at: time))
        }
        guard let rest else { return }
        if let partial = rest { recorder.record(partial) }
        recorder.record(CaptureRecord(time: time, kind: .close, payload: Array(reason.utf8)))
    }
}
