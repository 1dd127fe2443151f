import TagwayModel

/// What a serial capture's replay does, in order: pure, so the timing and the unplug/replug
/// reading of a capture are tested without a pty.
///
/// Times count from the connection's `open`: the replay waits for the host to open the port and
/// plays the reader's bytes at their recorded offsets from there, so a gateway that connects
/// later than the recorded one still hears what the reader said when it said it. A `close`
/// unplugs the port, the next `open` plugs it back after the recorded gap. The host's commands
/// (`tx`) are read and not checked: a commanded reader's bytes are answers, but the answers were
/// recorded, and a check byte-exact would fail on what legitimately differs between runs (a
/// Mercury command's timeout field, the order a retry takes).
public enum CaptureCues {
    public enum Cue: Hashable, Sendable {
        /// Wait until the host opens the port; later offsets count from then.
        case waitForOpen
        /// Write the bytes this long after the open.
        case send([UInt8], at: Duration)
        /// Unplug the port this long after the open.
        case unplug(at: Duration)
        /// Plug it back this long after the unplug.
        case replug(after: Duration)
    }

    /// The cues of `records`; `speed` divides every offset (nil: as fast as possible, no waits
    /// beyond the host's opens).
    public static func make(_ records: [CaptureRecord], speed: Double?) -> [Cue] {
        var cues: [Cue] = []
        var base: Timestamp?
        var lastClose: Timestamp?
        for record in records {
            switch record.kind {
            case .open:
                if let closed = lastClose { cues.append(.replug(after: scaled(record.time - closed, speed))) }
                cues.append(.waitForOpen)
                base = record.time
                lastClose = nil
            case .rx:
                guard !record.payload.isEmpty else { continue }
                // A capture started mid-connection plays from its first bytes.
                let start = base ?? record.time
                base = start
                cues.append(.send(record.payload, at: scaled(record.time - start, speed)))
            case .close:
                guard lastClose == nil else { continue }
                cues.append(.unplug(at: scaled(record.time - (base ?? record.time), speed)))
                lastClose = record.time
                base = nil
            case .tx, .hid, .llrp:
                continue
            }
        }
        return cues
    }

    /// `duration / speed`, never negative (a clock stepped back plays at once), saturated.
    public static func scaled(_ duration: Duration, _ speed: Double?) -> Duration {
        guard let speed, speed > 0, speed.isFinite else { return .zero }
        let milliseconds = Double(duration.wholeMilliseconds) / speed
        guard milliseconds > 0 else { return .zero }
        guard milliseconds < 9.2e15 else { return .milliseconds(Int64(9.2e15)) }
        return .milliseconds(Int64(milliseconds.rounded()))
    }
}
