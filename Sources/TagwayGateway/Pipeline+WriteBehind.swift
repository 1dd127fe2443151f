import TagwayModel

/// Reader sessions hand frames over without waiting for the log (issue 16: read→durable).
///
/// `ingest` returns once its events are committed, so the session whose batch started a write
/// stopped reading its port for a whole transaction (an fsync with `durability: full`), and with
/// several readers the one holding the write loop was starved while the others kept it busy:
/// reads waited in the ptys for commits that had nothing to do with them, and a sustained rate
/// was bounded by fsyncs, not by CPU. `submit` runs the engine and names the events, then leaves
/// the commit to a writer task of the pipeline's own; events still go to the log in order, in
/// one writer's group commits. The port is held back (its bytes wait in the kernel) only when
/// `writeAhead` events are waiting for the log.
extension Pipeline {
    /// Events named and not yet committed before a submitting session waits for the log: a
    /// second or so of a busy gateway's events, well under `holding.maxHeldEvents`, past which
    /// reads are dropped rather than paused.
    var writeAhead: Int { max(1, min(4_096, holding.maxHeldEvents / 2)) }

    /// Takes the frames of one chunk from a reader session, like `ingest`, but returns before
    /// the events are committed (unless `writeAhead` are waiting).
    public func submit(reader: String, readPoint: @Sendable (Int?) -> String, frames: [ReaderFrame], time: Timestamp) async {
        guard take(reader: reader, readPoint: readPoint, frames: frames, time: time) else { return }
        if nameEvents() { writeBehind() }
        scheduleTimer()
        scheduleStateWrite()
        while unwritten.count >= writeAhead, writing || writerScheduled {
            await withCheckedContinuation { writeWaiters.append($0) }
        }
    }

    /// Starts the writer task unless a write is running (it loops over what arrives meanwhile)
    /// or waiting out a failure (its retry writes everything held).
    func writeBehind() {
        guard !writing, !writerScheduled, retryTask == nil, fatal == nil else { return }
        writerScheduled = true
        Task { await self.startWriter() }
    }

    private func startWriter() async {
        writerScheduled = false
        await write()
    }

    /// Wakes the sessions waiting for the log: each looks again at how much is still waiting.
    func releaseWriteWaiters() {
        guard !writeWaiters.isEmpty else { return }
        let waiting = writeWaiters
        writeWaiters.removeAll()
        for waiter in waiting { waiter.resume() }
    }
}
