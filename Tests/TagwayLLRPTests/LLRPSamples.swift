import TagwayLLRP

/// One of every message the codec supports, with the fields filled the way the gateway and the
/// emulator fill them; the round-trip tests and fuzz seeds start from these.
enum LLRPSamples {
    static let tag = TagReport(epc: [0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, 0x85], pc: 0x3000,
                               antennaID: 2, peakRSSI: -52, channelIndex: 7,
                               firstSeen: .utc(microseconds: 1_764_676_800_000_000), lastSeen: .utc(microseconds: 1_764_676_800_250_000),
                               seenCount: 5, roSpecID: 1, impinjPhaseAngle: 1024, impinjPeakRSSI: -5230)

    static let spec = ROSpec(id: 1, priority: 0, antennas: [.init(id: 1, transmitPowerIndex: 81), .init(id: 2, transmitPowerIndex: 61)],
                             modeIndex: 1002, session: 2, tagPopulation: 64, reportEveryTags: 1, content: .tagway,
                             impinjSearchMode: 2, impinjPhaseAndRSSI: true)

    static let capabilities = ReaderCapabilities(
        maxAntennas: 4, hasUTCClock: true, manufacturer: 25882, model: 2001002, firmware: "5.12.3.240",
        transmitPower: (1...81).map { .init(index: UInt16($0), centiDBm: Int16(1000 + ($0 - 1) * 25)) },
        rfModes: [0, 1, 2, 3, 4, 1000, 1002], canReportBufferFillWarning: true, supportsEventAndReportHolding: true, maxROSpecs: 1)

    static let all: [LLRPMessage] = [
        .getReaderCapabilities,
        .setReaderConfig(ReaderConfiguration(resetToFactoryDefault: true, keepaliveMilliseconds: 10_000,
                                             events: [.antenna: true, .readerException: true, .hopping: false],
                                             holdEventsAndReportsUponReconnect: false)),
        .setReaderConfig(ReaderConfiguration()),
        .deleteROSpec(roSpecID: 0),
        .addROSpec(spec),
        .addROSpec(ROSpec(id: 7, antennas: [.init(id: 1)])),
        .enableROSpec(roSpecID: 1),
        .startROSpec(roSpecID: 1),
        .stopROSpec(roSpecID: 1),
        .enableEventsAndReports,
        .keepaliveAck,
        .closeConnection,
        .impinjEnableExtensions,
        .readerEventNotification(ReaderEventNotification(timestamp: .utc(microseconds: 1_764_676_800_000_000), connectionAttempt: .success)),
        .readerEventNotification(ReaderEventNotification(
            timestamp: .uptime(microseconds: 12_345_678), antennaEvents: [.init(antennaID: 3, connected: false)],
            connectionClosed: true, readerException: "antenna 3 VSWR", reportBufferFill: 80, reportBufferOverflow: true)),
        .getReaderCapabilitiesResponse(.success, capabilities),
        .getReaderCapabilitiesResponse(LLRPStatus(code: .deviceError, errorDescription: "busy"), nil),
        .response(to: .addROSpec, LLRPStatus(code: .parameterError, errorDescription: "bad ROSpec",
                                             detail: "parameter 177: P_FieldError (201); field 2: A_OutOfRange (301)")),
        .response(to: .setReaderConfig, .success),
        .response(to: .closeConnection, .success),
        .response(to: .deleteROSpec, .success),
        .response(to: .enableROSpec, .success),
        .response(to: .startROSpec, .success),
        .response(to: .stopROSpec, .success),
        .response(to: .customMessage, .success),
        .roAccessReport([tag, TagReport(epc: Array(0..<16), antennaID: 1, firstSeen: .uptime(microseconds: 99), lastSeen: .uptime(microseconds: 100))]),
        .roAccessReport([]),
        .keepalive,
        .errorMessage(LLRPStatus(code: .unsupportedMessage, errorDescription: "no", detail: "field 0: M_UnsupportedMessage (109)")),
        .unsupported(.getReaderConfig),
    ]
}
