import TagwayModel
import TagwaySessions

/// What each message from the reader does, in any phase after the connection opened: reports,
/// keepalives and events may come while the setup is still under way (a reader's own timers do
/// not wait for it), so they are handled wherever they arrive.
extension LLRPClientConversation {
    mutating func handle(_ envelope: LLRPEnvelope, at time: Timestamp, reads: inout [TagObservation],
                         into step: inout ConversationStep) {
        switch envelope.message {
        case .readerEventNotification(let event):
            handle(event, into: &step)
        case .getReaderCapabilitiesResponse, .response:
            responded(envelope, into: &step)
        case .roAccessReport(let tags):
            report(tags, at: time, reads: &reads, into: &step)
        case .keepalive:
            // The acknowledgement echoes the keepalive's id.
            step.send.append(LLRPCodec.encode(.keepaliveAck, id: envelope.id))
        case .errorMessage(let status):
            readerError(status, id: envelope.id, into: &step)
        case .unsupported, .getReaderCapabilities, .setReaderConfig, .deleteROSpec, .addROSpec, .enableROSpec,
             .startROSpec, .stopROSpec, .enableEventsAndReports, .keepaliveAck, .closeConnection, .impinjEnableExtensions:
            count("unexpected-message", into: &step)
        }
    }

    mutating func handle(_ event: ReaderEventNotification, into step: inout ConversationStep) {
        if let attempt = event.connectionAttempt {
            if phase == .awaitingGreeting {
                greeted(attempt, into: &step)
                guard isReading else { return }
            } else if attempt != .success {
                step.notices.append("the reader turned away another client: \(Self.explain(attempt))")
            }
        }
        for change in event.antennaEvents {
            if change.connected {
                connectedAntennas.insert(Int(change.antennaID))
            } else {
                connectedAntennas.remove(Int(change.antennaID))
            }
            details.antennasConnected = connectedAntennas.sorted()
        }
        if let exception = event.readerException {
            count("reader-exception", into: &step)
            step.notices.append("the reader reported an exception: \(exception)")
        }
        if let fill = event.reportBufferFill {
            count("report-buffer-warning", into: &step)
            step.notices.append("the reader's report buffer is \(fill)% full: the gateway is not reading its reports fast enough")
        }
        if event.reportBufferOverflow {
            count("report-buffer-overflow", into: &step)
            step.notices.append("the reader's report buffer overflowed: it dropped reports")
        }
        if event.connectionClosed {
            fail("reader-closed", "the reader closed the connection (ConnectionCloseEvent)", into: &step)
        }
    }

    /// One RO_ACCESS_REPORT: a clock sample from its newest timestamp, then each tag as a read
    /// with its time on the gateway's clock (ordered with the step's other reads by the caller).
    mutating func report(_ tags: [TagReport], at time: Timestamp, reads: inout [TagObservation],
                         into step: inout ConversationStep) {
        reports += 1
        details.reports = reports
        var latest: LLRPTimestamp?
        for tag in tags {
            guard let seen = tag.lastSeen ?? tag.firstSeen else { continue }
            if let current = latest, ClockSkewEstimator.split(current).1 >= ClockSkewEstimator.split(seen).1 { continue }
            latest = seen
        }
        if let latest, let notice = skew.add(latest: latest, receivedAt: time) {
            step.notices.append(notice)
        }
        details.clockSkew = skew.skew
        details.readerClockUsed = skew.readerClockUsed
        for tag in tags {
            let rssi = tag.impinjPeakRSSI.map { Int((Double($0) / 100).rounded()) } ?? tag.peakRSSI.map(Int.init)
            let seenAt = (tag.lastSeen ?? tag.firstSeen).map { skew.seenAt($0, receivedAt: time) } ?? time
            reads.append(TagObservation(technology: .epcGen2, id: TagID(bytes: tag.epc), antenna: tag.antennaID.map(Int.init),
                                        rssi: rssi, pc: tag.pc, seenAt: seenAt))
        }
    }

    /// Emits the reader's details when something an operator reads changed, and the liveness
    /// fields (last heard from, report total, the skew's small drift) at most once a second:
    /// a reader reporting 1,000 times a second must not update status 1,000 times.
    mutating func publishDetails(at time: Timestamp, into step: inout ConversationStep) {
        guard published != details else { return }
        var steady = details
        steady.lastHeardFrom = nil
        steady.reports = nil
        steady.clockSkew = nil
        var previous = published
        previous?.lastHeardFrom = nil
        previous?.reports = nil
        previous?.clockSkew = nil
        let due = publishedAt.map { time - $0 >= .seconds(1) } ?? true
        guard previous != steady || due else { return }
        step.health.append(.details(details))
        published = details
        publishedAt = time
    }
}
