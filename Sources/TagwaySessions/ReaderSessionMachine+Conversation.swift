import TagwayModel

/// Running a conversation on the open connection: its steps become actions, its one deadline a
/// timer of purpose `.conversation`, its failure the end of the connection.
extension ReaderSessionMachine {
    /// Bytes for the conversation, with the health every byte-stream chunk gets.
    mutating func conversed(_ connection: OpenConnection, bytes chunk: [UInt8], at time: Timestamp) -> [ReaderSessionAction] {
        guard var conversation else { return [] }
        let step = conversation.received(chunk, at: time)
        self.conversation = conversation
        let received = ReaderSessionAction.health(.received(frames: step.frames.count, bytes: chunk.count, at: time))
        return [received] + follow(step, on: connection, at: time)
    }

    /// The conversation's deadline passed (its token is the current one; stale ones never get here).
    mutating func deadlinePassed(_ connection: OpenConnection, at time: Timestamp) -> [ReaderSessionAction] {
        guard var conversation else { return [] }
        var connection = connection
        connection.conversationTimer = nil
        state = .open(connection)
        let step = conversation.deadlinePassed(at: time)
        self.conversation = conversation
        return follow(step, on: connection, at: time)
    }

    /// One step as actions, in this order: what to write, the frames, the health changes and
    /// notices, the deadline; then, when the step failed, the end of the connection.
    ///
    /// A failure is counted here, once, as `.conversationProblems(kind: failure.kind)` rather than
    /// as a link failure: the connection did not break, the conversation gave up on it (a
    /// rejected command, a silent reader, framing lost). A conversation therefore counts in its
    /// step's `health` only the problems it survives, or the one problem would be counted twice.
    /// What the step sends goes out before the close, so a conversation can take its leave.
    mutating func follow(_ step: ConversationStep, on connection: OpenConnection, at time: Timestamp) -> [ReaderSessionAction] {
        var connection = connection
        var actions: [ReaderSessionAction] = step.send.map { .send($0) }
        if !step.frames.isEmpty {
            backoff.reset()
            actions.append(.emit(step.frames, at: time))
        }
        actions += step.health.map { .health($0) }
        actions += step.notices.map { .notice($0) }
        if let failure = step.failure {
            return actions + lose(connection.id, failure, counted: .conversationProblems(kind: failure.kind))
        }
        switch step.deadline {
        case .after(let delay):
            let token = newTimer(.conversation)
            connection.conversationTimer = token
            actions.append(.armTimer(token, after: max(.zero, delay)))
        case .cancel:
            // The timer may still fire: its token is no longer the current one, so it is ignored.
            connection.conversationTimer = nil
        case nil:
            break
        }
        state = .open(connection)
        return actions
    }
}
