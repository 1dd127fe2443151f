/// Parameter type numbers of LLRP 1.0.1's binary encoding (TLV: 128–2047 in a 10-bit field; TV:
/// 1–127 in a 7-bit field) that Tagway writes or reads. Everything else is skipped by its length.
///
/// Comments in the codec name each layout by the specification's parameter name; numbers and
/// field orders were checked against the LTK's definitions (llrp-1x0-def.xml, as generated into
/// llrpjs) and Wireshark's LLRP dissector, Impinj's against that dissector's Impinj tables.
enum LLRPParameterType {
    // TLV
    static let utcTimestamp: UInt16 = 128
    static let uptime: UInt16 = 129
    static let generalDeviceCapabilities: UInt16 = 137
    static let receiveSensitivityTableEntry: UInt16 = 139
    static let perAntennaAirProtocol: UInt16 = 140
    static let gpioCapabilities: UInt16 = 141
    static let llrpCapabilities: UInt16 = 142
    static let regulatoryCapabilities: UInt16 = 143
    static let uhfBandCapabilities: UInt16 = 144
    static let transmitPowerLevelTableEntry: UInt16 = 145
    static let frequencyInformation: UInt16 = 146
    static let frequencyHopTable: UInt16 = 147
    static let roSpec: UInt16 = 177
    static let roBoundarySpec: UInt16 = 178
    static let roSpecStartTrigger: UInt16 = 179
    static let roSpecStopTrigger: UInt16 = 182
    static let aiSpec: UInt16 = 183
    static let aiSpecStopTrigger: UInt16 = 184
    static let inventoryParameterSpec: UInt16 = 186
    static let keepaliveSpec: UInt16 = 220
    static let antennaConfiguration: UInt16 = 222
    static let rfTransmitter: UInt16 = 224
    static let eventsAndReports: UInt16 = 226
    static let roReportSpec: UInt16 = 237
    static let tagReportContentSelector: UInt16 = 238
    static let tagReportData: UInt16 = 240
    static let epcData: UInt16 = 241
    static let readerEventNotificationSpec: UInt16 = 244
    static let eventNotificationState: UInt16 = 245
    static let readerEventNotificationData: UInt16 = 246
    static let reportBufferLevelWarningEvent: UInt16 = 250
    static let reportBufferOverflowErrorEvent: UInt16 = 251
    static let readerExceptionEvent: UInt16 = 252
    static let antennaEvent: UInt16 = 255
    static let connectionAttemptEvent: UInt16 = 256
    static let connectionCloseEvent: UInt16 = 257
    static let llrpStatus: UInt16 = 287
    static let fieldError: UInt16 = 288
    static let parameterError: UInt16 = 289
    static let c1g2LLRPCapabilities: UInt16 = 327
    static let c1g2UHFRFModeTable: UInt16 = 328
    static let c1g2UHFRFModeTableEntry: UInt16 = 329
    static let c1g2InventoryCommand: UInt16 = 330
    static let c1g2RFControl: UInt16 = 335
    static let c1g2SingulationControl: UInt16 = 336
    static let c1g2EPCMemorySelector: UInt16 = 348
    static let custom: UInt16 = 1023

    // TV
    static let antennaID: UInt8 = 1
    static let firstSeenTimestampUTC: UInt8 = 2
    static let firstSeenTimestampUptime: UInt8 = 3
    static let lastSeenTimestampUTC: UInt8 = 4
    static let lastSeenTimestampUptime: UInt8 = 5
    static let peakRSSI: UInt8 = 6
    static let channelIndex: UInt8 = 7
    static let tagSeenCount: UInt8 = 8
    static let roSpecID: UInt8 = 9
    static let c1g2PC: UInt8 = 12
    static let epc96: UInt8 = 13

    /// The value length of each TV type, index = type (19 and 20 are
    /// LLRP 1.1's C1G2XPCW1/W2). A TV parameter has no length field, so a type missing here
    /// (0) cannot be skipped: the message is malformed from that byte on.
    static let tvValueLength: [Int] = [
        0, 2, 8, 8, 8, 8, 1, 2, 2, 4, // 0–9: –, AntennaID, First/LastSeen UTC/Uptime, PeakRSSI, ChannelIndex, TagSeenCount, ROSpecID
        2, 2, 2, 12, 2, 2, 4, 2, 4, 2, // 10–19: InventoryParameterSpecID, C1G2_CRC, C1G2_PC, EPC-96, SpecIndex,
        // ClientRequestOpSpecResult, AccessSpecID, OpSpecID, C1G2SingulationDetails, C1G2XPCW1
        2, // 20: C1G2XPCW2
    ]
}

/// Impinj's LLRP extensions (Impinj.xml, vendor PEN 25882): only the parts Tagway sends or reads.
enum ImpinjExtension {
    static let vendor: UInt32 = 25882
    /// CUSTOM_MESSAGE subtypes (a u8 after the vendor).
    static let enableExtensions: UInt8 = 21
    static let enableExtensionsResponse: UInt8 = 22
    /// Custom parameter subtypes (a u32 after the vendor).
    static let inventorySearchMode: UInt32 = 23
    static let tagReportContentSelector: UInt32 = 50
    static let enableRFPhaseAngle: UInt32 = 52
    static let enablePeakRSSI: UInt32 = 53
    static let rfPhaseAngle: UInt32 = 56
    static let peakRSSI: UInt32 = 57
}
