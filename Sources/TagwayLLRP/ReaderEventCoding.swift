/// ReaderEventNotificationData (LLRP 1.0.1): a timestamp, then one parameter per event.
/// The spec allows one AntennaEvent per notification; readers send one notification per
/// antenna, and the decoder takes as many as come (the encoder writes one per entry).
enum ReaderEventCoding {
    static func encode(_ event: ReaderEventNotification, into writer: inout LLRPByteWriter) {
        let start = writer.open(LLRPParameterType.readerEventNotificationData)
        TimestampCoding.encode(event.timestamp, into: &writer)
        if let fill = event.reportBufferFill {
            writer.parameter(LLRPParameterType.reportBufferLevelWarningEvent) { $0.u8(fill) }
        }
        if event.reportBufferOverflow {
            writer.parameter(LLRPParameterType.reportBufferOverflowErrorEvent) { _ in }
        }
        if let message = event.readerException {
            writer.parameter(LLRPParameterType.readerExceptionEvent) { $0.utf8v(message) }
        }
        // AntennaEvent: EventType u8 (0 disconnected, 1 connected), AntennaID u16.
        for antenna in event.antennaEvents {
            writer.parameter(LLRPParameterType.antennaEvent) { w in
                w.u8(antenna.connected ? 1 : 0)
                w.u16(antenna.antennaID)
            }
        }
        if let attempt = event.connectionAttempt {
            writer.parameter(LLRPParameterType.connectionAttemptEvent) { $0.u16(attempt.rawValue) }
        }
        if event.connectionClosed {
            writer.parameter(LLRPParameterType.connectionCloseEvent) { _ in }
        }
        writer.close(start)
    }

    static func decode(_ reader: LLRPBodyReader) throws(LLRPError) -> ReaderEventNotification {
        var reader = reader
        var timestamp: LLRPTimestamp?
        var event = ReaderEventNotification(timestamp: .uptime(microseconds: 0))
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            var value = try reader.contents(of: header)
            switch header.type {
            case LLRPParameterType.utcTimestamp, LLRPParameterType.uptime:
                timestamp = try TimestampCoding.decode(header.type, &value)
            case LLRPParameterType.reportBufferLevelWarningEvent:
                event.reportBufferFill = try value.u8("ReportBufferLevelWarningEvent ReportBufferPercentageFull")
            case LLRPParameterType.reportBufferOverflowErrorEvent:
                event.reportBufferOverflow = true
            case LLRPParameterType.readerExceptionEvent:
                event.readerException = try value.utf8v("ReaderExceptionEvent Message")
            case LLRPParameterType.antennaEvent:
                let kind = try value.u8("AntennaEvent EventType")
                let antenna = try value.u16("AntennaEvent AntennaID")
                event.antennaEvents.append(.init(antennaID: antenna, connected: kind == 1))
            case LLRPParameterType.connectionAttemptEvent:
                // A status beyond the spec's five is still a refusal: the client must not proceed.
                let status = try value.u16("ConnectionAttemptEvent Status")
                event.connectionAttempt = ReaderEventNotification.ConnectionAttempt(rawValue: status) ?? .failedOtherReason
            case LLRPParameterType.connectionCloseEvent:
                event.connectionClosed = true
            default:
                continue // hopping, GPI, ROSpec, AISpec, RF survey events and Custom: not used
            }
        }
        guard let timestamp else {
            throw reader.malformed("ReaderEventNotificationData without a UTCTimestamp or Uptime")
        }
        event.timestamp = timestamp
        return event
    }
}

/// UTCTimestamp (128) and Uptime (129): a u64 of microseconds.
enum TimestampCoding {
    static func encode(_ timestamp: LLRPTimestamp, into writer: inout LLRPByteWriter) {
        switch timestamp {
        case .utc(let microseconds): writer.parameter(LLRPParameterType.utcTimestamp) { $0.u64(microseconds) }
        case .uptime(let microseconds): writer.parameter(LLRPParameterType.uptime) { $0.u64(microseconds) }
        }
    }

    static func decode(_ type: UInt16, _ value: inout LLRPBodyReader) throws(LLRPError) -> LLRPTimestamp {
        let microseconds = try value.u64("timestamp Microseconds")
        return type == LLRPParameterType.utcTimestamp ? .utc(microseconds: microseconds) : .uptime(microseconds: microseconds)
    }
}
