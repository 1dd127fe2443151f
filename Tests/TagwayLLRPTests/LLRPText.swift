import TagwayLLRP

/// The stable one-line text of a decoded message that fixtures' `.chk` files hold:
/// `v<version> id=<id> <what>`; a field the reader did not send is not written.
enum LLRPText {
    static func render(_ envelope: LLRPEnvelope) -> String {
        "v\(envelope.version) id=\(envelope.id) " + render(envelope.message)
    }

    static func render(_ message: LLRPMessage) -> String {
        switch message {
        case .getReaderCapabilities: "GET_READER_CAPABILITIES"
        case .setReaderConfig(let c): "SET_READER_CONFIG " + render(c)
        case .deleteROSpec(let id): "DELETE_ROSPEC rospec=\(id)"
        case .addROSpec(let spec): "ADD_ROSPEC " + render(spec)
        case .enableROSpec(let id): "ENABLE_ROSPEC rospec=\(id)"
        case .startROSpec(let id): "START_ROSPEC rospec=\(id)"
        case .stopROSpec(let id): "STOP_ROSPEC rospec=\(id)"
        case .enableEventsAndReports: "ENABLE_EVENTS_AND_REPORTS"
        case .keepaliveAck: "KEEPALIVE_ACK"
        case .closeConnection: "CLOSE_CONNECTION"
        case .impinjEnableExtensions: "IMPINJ_ENABLE_EXTENSIONS"
        case .readerEventNotification(let event): "READER_EVENT_NOTIFICATION " + render(event)
        case .getReaderCapabilitiesResponse(let status, let caps):
            "GET_READER_CAPABILITIES_RESPONSE status=[\(status)]" + (caps.map { " " + render($0) } ?? "")
        case .response(let request, let status): "RESPONSE to=\(request.rawValue) status=[\(status)]"
        case .roAccessReport(let tags): "RO_ACCESS_REPORT tags=\(tags.count)" + tags.map { " {" + render($0) + "}" }.joined()
        case .keepalive: "KEEPALIVE"
        case .errorMessage(let status): "ERROR_MESSAGE status=[\(status)]"
        case .unsupported(let type): "UNSUPPORTED type=\(type.rawValue)"
        }
    }

    static func render(_ t: LLRPTimestamp) -> String {
        switch t {
        case .utc(let us): "utc:\(us)"
        case .uptime(let us): "uptime:\(us)"
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
    }

    static func render(_ tag: TagReport) -> String {
        var parts = ["epc=\(hex(tag.epc))"]
        if let v = tag.pc { parts.append("pc=\(String(v, radix: 16, uppercase: true))") }
        if let v = tag.antennaID { parts.append("ant=\(v)") }
        if let v = tag.peakRSSI { parts.append("rssi=\(v)") }
        if let v = tag.channelIndex { parts.append("ch=\(v)") }
        if let v = tag.firstSeen { parts.append("first=\(render(v))") }
        if let v = tag.lastSeen { parts.append("last=\(render(v))") }
        if let v = tag.seenCount { parts.append("seen=\(v)") }
        if let v = tag.roSpecID { parts.append("rospec=\(v)") }
        if let v = tag.impinjPhaseAngle { parts.append("impinj-phase=\(v)") }
        if let v = tag.impinjPeakRSSI { parts.append("impinj-rssi=\(v)") }
        return parts.joined(separator: " ")
    }

    static func render(_ e: ReaderEventNotification) -> String {
        var parts = ["at=\(render(e.timestamp))"]
        if let v = e.connectionAttempt { parts.append("connection=\(v)") }
        for a in e.antennaEvents { parts.append("antenna\(a.antennaID)=\(a.connected ? "connected" : "disconnected")") }
        if e.connectionClosed { parts.append("closing") }
        if let v = e.readerException { parts.append("exception=\"\(v)\"") }
        if let v = e.reportBufferFill { parts.append("buffer=\(v)%") }
        if e.reportBufferOverflow { parts.append("buffer-overflow") }
        return parts.joined(separator: " ")
    }

    static func render(_ c: ReaderCapabilities) -> String {
        let power = c.transmitPower.map { "\($0.index):\($0.centiDBm)" }.joined(separator: ",")
        return "antennas=\(c.maxAntennas) utc-clock=\(c.hasUTCClock) vendor=\(c.manufacturer) model=\(c.model) "
            + "firmware=\"\(c.firmware)\" power=[\(power)] modes=\(c.rfModes) buffer-warning=\(c.canReportBufferFillWarning) "
            + "holding=\(c.supportsEventAndReportHolding) max-rospecs=\(c.maxROSpecs)"
    }

    static func render(_ c: ReaderConfiguration) -> String {
        var parts = ["reset=\(c.resetToFactoryDefault)"]
        if let v = c.keepaliveMilliseconds { parts.append("keepalive=\(v)ms") }
        let events = c.events.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }
        if !events.isEmpty { parts.append("events=[\(events.joined(separator: ","))]") }
        if let v = c.holdEventsAndReportsUponReconnect { parts.append("hold=\(v)") }
        return parts.joined(separator: " ")
    }

    static func render(_ s: ROSpec) -> String {
        let antennas = s.antennas.map { a in "\(a.id)" + (a.transmitPowerIndex.map { "@\($0)" } ?? "") }.joined(separator: ",")
        var parts = ["rospec=\(s.id)", "priority=\(s.priority)", "antennas=[\(antennas)]"]
        if let v = s.modeIndex { parts.append("mode=\(v)") }
        if let v = s.session { parts.append("session=\(v) population=\(s.tagPopulation)") }
        parts.append("report-every=\(s.reportEveryTags)")
        parts.append("content=\(String(s.content.rawValue, radix: 16))")
        if let v = s.impinjSearchMode { parts.append("impinj-search=\(v)") }
        if s.impinjPhaseAndRSSI { parts.append("impinj-phase-rssi") }
        return parts.joined(separator: " ")
    }
}
