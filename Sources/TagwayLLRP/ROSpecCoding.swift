/// The ROSpec parameter (LLRP 1.0.1) of ADD_ROSPEC, as Tagway builds it: Null start and stop
/// triggers (it runs from START_ROSPEC until stopped), one AISpec on the configured antennas
/// with Null stop trigger and one Gen2 InventoryParameterSpec, and an ROReportSpec.
///
/// An antenna gets an AntennaConfiguration when it has a power row or the inventory needs a
/// C1G2InventoryCommand (mode, session, Impinj search mode); every antenna gets the same
/// command. `tagPopulation` travels in C1G2SingulationControl, so only with a `session`.
enum ROSpecCoding {
    static let inventoryParameterSpecID: UInt16 = 1
    static let epcGlobalClass1Gen2: UInt8 = 1
    static let maximumAntennas = 4096

    static func encode(_ spec: ROSpec, into writer: inout LLRPByteWriter) {
        let rospec = writer.open(LLRPParameterType.roSpec)
        writer.u32(spec.id)
        writer.u8(spec.priority)
        writer.u8(0) // CurrentState: Disabled, as ADD_ROSPEC requires
        let boundary = writer.open(LLRPParameterType.roBoundarySpec)
        writer.parameter(LLRPParameterType.roSpecStartTrigger) { $0.u8(0) } // Null
        writer.parameter(LLRPParameterType.roSpecStopTrigger) { w in
            w.u8(0) // Null
            w.u32(0) // DurationTriggerValue, ignored
        }
        writer.close(boundary)

        let antennas = Array(spec.antennas.prefix(maximumAntennas))
        let aispec = writer.open(LLRPParameterType.aiSpec)
        writer.u16v(antennas.map(\.id))
        writer.parameter(LLRPParameterType.aiSpecStopTrigger) { w in
            w.u8(0) // Null
            w.u32(0)
        }
        let inventory = writer.open(LLRPParameterType.inventoryParameterSpec)
        writer.u16(inventoryParameterSpecID)
        writer.u8(epcGlobalClass1Gen2)
        let needsCommand = spec.modeIndex != nil || spec.session != nil || spec.impinjSearchMode != nil
        for antenna in antennas where antenna.transmitPowerIndex != nil || needsCommand {
            let configuration = writer.open(LLRPParameterType.antennaConfiguration)
            writer.u16(antenna.id)
            if let power = antenna.transmitPowerIndex {
                // RFTransmitter: HopTableID u16, ChannelIndex u16, TransmitPower u16.
                writer.parameter(LLRPParameterType.rfTransmitter) { w in
                    w.u16(1)
                    w.u16(1)
                    w.u16(power)
                }
            }
            if needsCommand { encodeInventoryCommand(spec, into: &writer) }
            writer.close(configuration)
        }
        writer.close(inventory)
        writer.close(aispec)
        encodeReportSpec(spec, into: &writer)
        writer.close(rospec)
    }

    /// C1G2InventoryCommand: TagInventoryStateAware bit, then C1G2RFControl
    /// (ModeIndex u16, Tari u16: 0 = the mode's), C1G2SingulationControl (Session in the top 2
    /// bits of a u8, TagPopulation u16, TagTransitTime u32), and ImpinjInventorySearchMode.
    private static func encodeInventoryCommand(_ spec: ROSpec, into writer: inout LLRPByteWriter) {
        let command = writer.open(LLRPParameterType.c1g2InventoryCommand)
        writer.u8(0)
        if let mode = spec.modeIndex {
            writer.parameter(LLRPParameterType.c1g2RFControl) { w in
                w.u16(mode)
                w.u16(0)
            }
        }
        if let session = spec.session {
            writer.parameter(LLRPParameterType.c1g2SingulationControl) { w in
                w.u8((session & 0x03) << 6)
                w.u16(spec.tagPopulation)
                w.u32(0)
            }
        }
        if let search = spec.impinjSearchMode {
            let custom = writer.openCustom(vendor: ImpinjExtension.vendor, subtype: ImpinjExtension.inventorySearchMode)
            writer.u16(search)
            writer.close(custom)
        }
        writer.close(command)
    }

    /// ROReportSpec: trigger 1 (upon N tags or end of AISpec), N, and the
    /// TagReportContentSelector: ten Enable bits from the top of a u16 (ROSpecID, SpecIndex,
    /// InventoryParameterSpecID, AntennaID, ChannelIndex, PeakRSSI, FirstSeenTimestamp,
    /// LastSeenTimestamp, TagSeenCount, AccessSpecID), then C1G2EPCMemorySelector (EnableCRC,
    /// EnablePCBits: the top 2 bits of a u8), then Impinj's selector for phase and RSSI.
    private static func encodeReportSpec(_ spec: ROSpec, into writer: inout LLRPByteWriter) {
        let report = writer.open(LLRPParameterType.roReportSpec)
        writer.u8(1)
        writer.u16(spec.reportEveryTags)
        let selector = writer.open(LLRPParameterType.tagReportContentSelector)
        writer.u16(contentBits(spec.content))
        writer.parameter(LLRPParameterType.c1g2EPCMemorySelector) { w in
            w.u8((spec.content.contains(.crc) ? 0x80 : 0) | (spec.content.contains(.pcBits) ? 0x40 : 0))
        }
        writer.close(selector)
        if spec.impinjPhaseAndRSSI {
            let impinj = writer.openCustom(vendor: ImpinjExtension.vendor, subtype: ImpinjExtension.tagReportContentSelector)
            for subtype in [ImpinjExtension.enableRFPhaseAngle, ImpinjExtension.enablePeakRSSI] {
                let enable = writer.openCustom(vendor: ImpinjExtension.vendor, subtype: subtype)
                writer.u16(1) // Enabled
                writer.close(enable)
            }
            writer.close(impinj)
        }
        writer.close(report)
    }

    static func contentBits(_ content: ROSpec.ReportContent) -> UInt16 {
        var bits: UInt16 = 0
        for bit in 0..<10 where content.rawValue & (1 << bit) != 0 { bits |= 0x8000 >> bit }
        return bits
    }

    static func content(bits: UInt16) -> ROSpec.ReportContent {
        var raw: UInt16 = 0
        for bit in 0..<10 where bits & (0x8000 >> bit) != 0 { raw |= 1 << bit }
        return ROSpec.ReportContent(rawValue: raw)
    }
}
