import TagwayModel

/// The pipeline driven by `tagway replay`: the same engine, naming and log writes as a live
/// gateway, but the departure timer is the replay's, not a task sleeping on a clock. Before each
/// batch the replay advances the engine through the departures that fell due by the batch's time
/// (they are stamped with their due time, as the live timer stamps them), so the events do not
/// depend on how fast the replay runs, and no timer task or state-write task is ever started.
extension Pipeline {
    /// Takes one batch at `time` on the capture's clock, after the departures due by then.
    /// Events are written behind, as `submit` writes them; `finishReplay` waits for the last.
    public func replay(reader: String, readPoint: @Sendable (Int?) -> String, frames: [ReaderFrame], time: Timestamp) async {
        if let due = engine.nextDeadline, due <= time { engine.advance(to: time, into: &zoneEvents) }
        guard take(reader: reader, readPoint: readPoint, frames: frames, time: time) else { return }
        if nameEvents() { writeBehind() }
        while unwritten.count >= writeAhead, writing || writerScheduled {
            await withCheckedContinuation { writeWaiters.append($0) }
        }
    }

    /// Moves the capture's clock to `time`: departures due by then are made.
    public func replayAdvance(to time: Timestamp) async {
        engine.advance(to: time, into: &zoneEvents)
        if nameEvents() { writeBehind() }
    }

    /// Advances through every departure still due, however far ahead; returns the last one's
    /// time (nil when nothing was left to depart).
    public func replayDrain() async -> Timestamp? {
        var last: Timestamp?
        while let due = engine.nextDeadline, last.map({ due > $0 }) ?? true {
            engine.advance(to: due, into: &zoneEvents)
            last = due
        }
        if nameEvents() { writeBehind() }
        return last
    }

    /// Waits for every event named so far to be written; returns how many the log did not take.
    public func finishReplay() async -> Int {
        while writing || writerScheduled {
            await withCheckedContinuation { writeWaiters.append($0) }
        }
        await write()
        return unwritten.count
    }
}
