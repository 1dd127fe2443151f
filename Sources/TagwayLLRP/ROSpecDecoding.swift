/// Reads back the ROSpec `ROSpecCoding` writes (the emulator's side of ADD_ROSPEC). Parameters
/// Tagway does not send are skipped; what the model cannot hold (a second AISpec, per-antenna
/// modes) is read from the first occurrence.
enum ROSpecDecoding {
    static func decode(_ body: LLRPBodyReader) throws(LLRPError) -> ROSpec {
        var reader = body
        var spec = ROSpec(id: try reader.u32("ROSpec ROSpecID"), antennas: [])
        spec.priority = try reader.u8("ROSpec Priority")
        _ = try reader.u8("ROSpec CurrentState")
        spec.content = []
        spec.reportEveryTags = 0
        var sawAISpec = false
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            switch header.type {
            case LLRPParameterType.aiSpec where !sawAISpec:
                sawAISpec = true
                try decodeAISpec(try reader.contents(of: header), into: &spec)
            case LLRPParameterType.roReportSpec:
                try decodeReportSpec(try reader.contents(of: header), into: &spec)
            default:
                continue
            }
        }
        return spec
    }

    private static func decodeAISpec(_ body: LLRPBodyReader, into spec: inout ROSpec) throws(LLRPError) {
        var reader = body
        spec.antennas = try reader.u16v("AISpec AntennaIDs").map { ROSpec.Antenna(id: $0) }
        while let header = try reader.nextParameter() {
            guard !header.isTV, header.type == LLRPParameterType.inventoryParameterSpec else { continue }
            var inventory = try reader.contents(of: header)
            _ = try inventory.u16("InventoryParameterSpec InventoryParameterSpecID")
            _ = try inventory.u8("InventoryParameterSpec ProtocolID")
            while let entry = try inventory.nextParameter() {
                guard !entry.isTV, entry.type == LLRPParameterType.antennaConfiguration else { continue }
                try decodeAntennaConfiguration(try inventory.contents(of: entry), into: &spec)
            }
            return
        }
    }

    private static func decodeAntennaConfiguration(_ body: LLRPBodyReader, into spec: inout ROSpec) throws(LLRPError) {
        var reader = body
        let antenna = try reader.u16("AntennaConfiguration AntennaID")
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            var value = try reader.contents(of: header)
            switch header.type {
            case LLRPParameterType.rfTransmitter:
                _ = try value.u32("RFTransmitter HopTableID and ChannelIndex")
                let power = try value.u16("RFTransmitter TransmitPower")
                if let index = spec.antennas.firstIndex(where: { $0.id == antenna }) {
                    spec.antennas[index].transmitPowerIndex = power
                }
            case LLRPParameterType.c1g2InventoryCommand:
                try decodeInventoryCommand(value, into: &spec)
            default:
                continue
            }
        }
    }

    private static func decodeInventoryCommand(_ body: LLRPBodyReader, into spec: inout ROSpec) throws(LLRPError) {
        var reader = body
        _ = try reader.u8("C1G2InventoryCommand TagInventoryStateAware")
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            var value = try reader.contents(of: header)
            switch header.type {
            case LLRPParameterType.c1g2RFControl:
                spec.modeIndex = try value.u16("C1G2RFControl ModeIndex")
            case LLRPParameterType.c1g2SingulationControl:
                spec.session = try value.u8("C1G2SingulationControl Session") >> 6
                spec.tagPopulation = try value.u16("C1G2SingulationControl TagPopulation")
            case LLRPParameterType.custom:
                let (vendor, subtype) = try reader.customHeader(header)
                guard vendor == ImpinjExtension.vendor, subtype == ImpinjExtension.inventorySearchMode else { continue }
                _ = try value.u64("Custom vendor and subtype")
                spec.impinjSearchMode = try value.u16("ImpinjInventorySearchMode InventorySearchMode")
            default:
                continue
            }
        }
    }

    private static func decodeReportSpec(_ body: LLRPBodyReader, into spec: inout ROSpec) throws(LLRPError) {
        var reader = body
        _ = try reader.u8("ROReportSpec ROReportTrigger")
        spec.reportEveryTags = try reader.u16("ROReportSpec N")
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            var value = try reader.contents(of: header)
            switch header.type {
            case LLRPParameterType.tagReportContentSelector:
                var content = ROSpecCoding.content(bits: try value.u16("TagReportContentSelector flags"))
                while let memory = try value.nextParameter() {
                    guard !memory.isTV, memory.type == LLRPParameterType.c1g2EPCMemorySelector else { continue }
                    var selector = try value.contents(of: memory)
                    let flags = try selector.u8("C1G2EPCMemorySelector flags")
                    if flags & 0x80 != 0 { content.insert(.crc) }
                    if flags & 0x40 != 0 { content.insert(.pcBits) }
                }
                spec.content = content
            case LLRPParameterType.custom:
                let (vendor, subtype) = try reader.customHeader(header)
                if vendor == ImpinjExtension.vendor, subtype == ImpinjExtension.tagReportContentSelector {
                    spec.impinjPhaseAndRSSI = try impinjPhaseAndRSSIEnabled(value)
                }
            default:
                continue
            }
        }
    }

    /// ImpinjTagReportContentSelector: on when it enables both the phase angle and peak RSSI.
    private static func impinjPhaseAndRSSIEnabled(_ body: LLRPBodyReader) throws(LLRPError) -> Bool {
        var reader = body
        _ = try reader.u64("Custom vendor and subtype")
        var phase = false, rssi = false
        while let header = try reader.nextParameter() {
            guard !header.isTV, header.type == LLRPParameterType.custom else { continue }
            let (vendor, subtype) = try reader.customHeader(header)
            guard vendor == ImpinjExtension.vendor else { continue }
            var value = try reader.contents(of: header)
            _ = try value.u64("Custom vendor and subtype")
            let enabled = try value.u16("Impinj enable mode") == 1
            if subtype == ImpinjExtension.enableRFPhaseAngle { phase = enabled }
            if subtype == ImpinjExtension.enablePeakRSSI { rssi = enabled }
        }
        return phase && rssi
    }
}
