import TagwayDecoders
import TagwayHID
import TagwayModel

/// Reading an open connection: decoding, the commanded reader's startup and poll commands, the
/// HID inter-key deadline, and the decoder counters turned into health deltas.
extension ReaderSessionMachine {
    mutating func bytes(_ id: ConnectionID, _ chunk: [UInt8], at time: Timestamp) -> [ReaderSessionAction] {
        guard case .open(let connection) = state, connection.id == id else { return [] }
        if conversation != nil { return conversed(connection, bytes: chunk, at: time) }
        guard var assembler else { preconditionFailure("bytes on \(id) for a session that reads reports") }
        let frames = assembler.feed(chunk)
        self.assembler = assembler
        var actions: [ReaderSessionAction] = [.health(.received(frames: frames.count, bytes: chunk.count, at: time))]
        if !frames.isEmpty { actions.append(.emit(frames, at: time)) }
        return actions + byteDropDeltas()
    }

    mutating func inputPaused(_ id: ConnectionID, total: Int) -> [ReaderSessionAction] {
        guard case .open(var connection) = state, connection.id == id else { return [] }
        let delta = total - connection.reportedPauses
        guard delta > 0 else { return [] }
        connection.reportedPauses = total
        state = .open(connection)
        return [.health(.count(.inputPauses, by: delta))]
    }

    mutating func report(_ id: ConnectionID, _ report: [UInt8], at time: Timestamp) -> [ReaderSessionAction] {
        guard case .open(var connection) = state, connection.id == id else { return [] }
        guard var decoder = reportDecoder else { preconditionFailure("report on \(id) without a report decoder") }
        let frames = decoder.feed(report: report, at: time)
        reportDecoder = decoder
        var actions = scanned(frames, at: time)
        actions += rearmScanDeadline(&connection, now: time)
        state = .open(connection)
        return actions
    }

    mutating func timerFired(_ token: TimerToken, at time: Timestamp) -> [ReaderSessionAction] {
        switch (token.purpose, state) {
        case (.reopen, .backingOff(let current)) where current == token:
            return beginOpening()
        case (.command, .open(var connection)) where connection.commandTimer == token:
            let actions = nextCommand(&connection)
            state = .open(connection)
            return actions
        case (.scanDeadline, .open(var connection)) where connection.scanDeadline?.token == token:
            connection.scanDeadline = nil
            var actions: [ReaderSessionAction] = []
            if var decoder = reportDecoder {
                let frames = decoder.flush(now: time)
                reportDecoder = decoder
                actions = scanned(frames, at: time)
            }
            actions += rearmScanDeadline(&connection, now: time)
            state = .open(connection)
            return actions
        case (.conversation, .open(let connection)) where connection.conversationTimer == token:
            return deadlinePassed(connection, at: time)
        default:
            return []
        }
    }

    /// The next startup command, or the poll once they are all sent, with the timer for the one after.
    mutating func nextCommand(_ connection: inout OpenConnection) -> [ReaderSessionAction] {
        guard let polling = plan.polling else { return [] }
        let token = newTimer(.command)
        connection.commandTimer = token
        if connection.commandStep < polling.startup.count {
            defer { connection.commandStep += 1 }
            return [.send(polling.startup[connection.commandStep]), .armTimer(token, after: plan.commandSpacing)]
        }
        return [.send(polling.poll), .armTimer(token, after: polling.interval)]
    }

    /// Keeps one timer for the decoder's next deadline; a deadline that moved makes the old timer stale.
    private mutating func rearmScanDeadline(_ connection: inout OpenConnection, now: Timestamp) -> [ReaderSessionAction] {
        let next = reportDecoder?.nextDeadline
        if next == connection.scanDeadline?.at { return [] }
        connection.scanDeadline = nil
        guard let next else { return [] }
        let token = newTimer(.scanDeadline)
        connection.scanDeadline = (next, token)
        return [.armTimer(token, after: max(.zero, next - now))]
    }

    /// HID scans as the gateway sees them, with their health.
    private mutating func scanned(_ frames: [ReaderFrame], at time: Timestamp) -> [ReaderSessionAction] {
        var actions: [ReaderSessionAction] = []
        if !frames.isEmpty {
            let rewritten = frames.map { EM4100KeyboardRewrite.observation($0, technology: plan.technology) }
            actions.append(.health(.received(frames: rewritten.count, bytes: nil, at: time)))
            actions.append(.emit(rewritten, at: time))
        }
        return actions + scanProblemDeltas()
    }

    /// Forgets a partial frame or scan when a connection ends: the next connection cannot complete it.
    mutating func resetDecoding() -> [ReaderSessionAction] {
        if var assembler {
            assembler.reset()
            self.assembler = assembler
            return byteDropDeltas()
        }
        reportDecoder?.reset()
        return scanProblemDeltas()
    }

    private mutating func byteDropDeltas() -> [ReaderSessionAction] {
        guard let assembler else { return [] }
        var actions: [ReaderSessionAction] = []
        for reason in DropReason.allCases {
            let bytes = (assembler.drops[reason] ?? 0) - (reportedBytesDropped[reason] ?? 0)
            if bytes > 0 { actions.append(.health(.count(.bytesDropped(reason), by: bytes))) }
            let events = (assembler.dropEvents[reason] ?? 0) - (reportedDropEvents[reason] ?? 0)
            if events > 0 { actions.append(.health(.count(.dropEvents(reason), by: events))) }
        }
        reportedBytesDropped = assembler.drops
        reportedDropEvents = assembler.dropEvents
        return actions
    }

    private mutating func scanProblemDeltas() -> [ReaderSessionAction] {
        guard let statistics = reportDecoder?.statistics else { return [] }
        var actions: [ReaderSessionAction] = []
        for problem in ScanProblem.allCases {
            let delta = problem.count(in: statistics) - problem.count(in: reportedStatistics)
            if delta > 0 { actions.append(.health(.count(.scanProblems(problem), by: delta))) }
        }
        reportedStatistics = statistics
        return actions
    }
}

extension ScanProblem {
    func count(in statistics: HIDDecoderStatistics) -> Int {
        switch self {
        case .truncatedScan: statistics.truncatedScans
        case .overlongScan: statistics.overlongScans
        case .unmappedKey: statistics.unmappedKeys
        case .malformedReport: statistics.malformedReports
        case .errorReport: statistics.errorReports
        }
    }
}
