/// GET_READER_CAPABILITIES_RESPONSE's parameters (LLRP 1.0.1): what Tagway reads of
/// them, and a complete answer for the emulator to send.
enum CapabilitiesCoding {
    /// Rows kept and written at most: UHFBandCapabilities' length is a u16 (4096 power rows
    /// take 32 KiB, 512 modes 18 KiB), and no reader has more.
    static let maximumPowerRows = 4096
    static let maximumModes = 512
    static let maximumAntennasDescribed: UInt16 = 64

    static func encode(_ caps: ReaderCapabilities, into writer: inout LLRPByteWriter) {
        // GeneralDeviceCapabilities: MaxNumberOfAntennaSupported u16;
        // CanSetAntennaProperties, HasUTCClockCapability as the top two bits of a u16;
        // manufacturer PEN u32, model u32, firmware utf8v; then sensitivity table, GPIO
        // capabilities and the air protocols of each antenna.
        let general = writer.open(LLRPParameterType.generalDeviceCapabilities)
        writer.u16(caps.maxAntennas)
        writer.u16(0x8000 | (caps.hasUTCClock ? 0x4000 : 0))
        writer.u32(caps.manufacturer)
        writer.u32(caps.model)
        writer.utf8v(caps.firmware)
        writer.parameter(LLRPParameterType.receiveSensitivityTableEntry) { w in
            w.u16(1)
            w.s16(0)
        }
        writer.parameter(LLRPParameterType.gpioCapabilities) { w in
            w.u16(4)
            w.u16(4)
        }
        for antenna in 0..<min(caps.maxAntennas, maximumAntennasDescribed) {
            // PerAntennaAirProtocol: AntennaID u16, ProtocolID u8v (1 = EPCGlobal Class 1 Gen 2).
            writer.parameter(LLRPParameterType.perAntennaAirProtocol) { w in
                w.u16(antenna + 1)
                w.u16(1)
                w.u8(1)
            }
        }
        writer.close(general)

        // LLRPCapabilities: five flags in the top bits of a u8, then
        // MaxNumPriorityLevelsSupported u8, ClientRequestOpSpecTimeout u16, MaxNumROSpecs,
        // MaxNumSpecsPerROSpec, MaxNumInventoryParameterSpecsPerAISpec, MaxNumAccessSpecs,
        // MaxNumOpSpecsPerAccessSpec (u32 each).
        writer.parameter(LLRPParameterType.llrpCapabilities) { w in
            w.u8((caps.canReportBufferFillWarning ? 0x40 : 0) | (caps.supportsEventAndReportHolding ? 0x08 : 0))
            w.u8(1)
            w.u16(0)
            w.u32(caps.maxROSpecs)
            w.u32(32)
            w.u32(1)
            w.u32(508)
            w.u32(8)
        }

        // RegulatoryCapabilities: CountryCode u16, CommunicationsStandard u16 (1: US
        // FCC part 15), UHFBandCapabilities: the power table, FrequencyInformation (hopping, no
        // table here) and the C1G2 mode table.
        let regulatory = writer.open(LLRPParameterType.regulatoryCapabilities)
        writer.u16(840)
        writer.u16(1)
        let band = writer.open(LLRPParameterType.uhfBandCapabilities)
        for level in caps.transmitPower.prefix(maximumPowerRows) {
            writer.parameter(LLRPParameterType.transmitPowerLevelTableEntry) { w in
                w.u16(level.index)
                w.s16(level.centiDBm)
            }
        }
        writer.parameter(LLRPParameterType.frequencyInformation) { $0.u8(0x80) }
        let modes = writer.open(LLRPParameterType.c1g2UHFRFModeTable)
        for mode in caps.rfModes.prefix(maximumModes) {
            // C1G2UHFRFModeTableEntry: ModeIdentifier u32, DR and EPC HAG T&C
            // conformance bits, M u8, forward link modulation u8, spectral mask u8, BDR, PIE,
            // min/max/step Tari (u32 each). Values of a dense-reader Miller-4 mode.
            writer.parameter(LLRPParameterType.c1g2UHFRFModeTableEntry) { w in
                w.u32(mode)
                w.u8(0x80)
                w.u8(2)
                w.u8(2)
                w.u8(2)
                w.u32(320_000)
                w.u32(2000)
                w.u32(20000)
                w.u32(20000)
                w.u32(0)
            }
        }
        writer.close(modes)
        writer.close(band)
        writer.close(regulatory)

        // C1G2LLRPCapabilities: block erase/write bits, MaxNumSelectFiltersPerQuery.
        writer.parameter(LLRPParameterType.c1g2LLRPCapabilities) { w in
            w.u8(0)
            w.u16(2)
        }
    }

    /// The capabilities, or nil when the reader sent no GeneralDeviceCapabilities.
    static func decode(_ body: LLRPBodyReader) throws(LLRPError) -> ReaderCapabilities? {
        var reader = body
        var caps: ReaderCapabilities?
        var llrp: (fill: Bool, holding: Bool, maxROSpecs: UInt32)?
        var power: [ReaderCapabilities.TransmitPowerLevel] = []
        var modes: [UInt32] = []
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            var value = try reader.contents(of: header)
            switch header.type {
            case LLRPParameterType.generalDeviceCapabilities:
                let antennas = try value.u16("GeneralDeviceCapabilities MaxNumberOfAntennaSupported")
                let flags = try value.u16("GeneralDeviceCapabilities flags")
                let manufacturer = try value.u32("GeneralDeviceCapabilities DeviceManufacturerName")
                let model = try value.u32("GeneralDeviceCapabilities ModelName")
                let firmware = try value.utf8v("GeneralDeviceCapabilities ReaderFirmwareVersion")
                caps = ReaderCapabilities(maxAntennas: antennas, hasUTCClock: flags & 0x4000 != 0, manufacturer: manufacturer,
                                          model: model, firmware: firmware, transmitPower: [])
            case LLRPParameterType.llrpCapabilities:
                let flags = try value.u8("LLRPCapabilities flags")
                _ = try value.u8("LLRPCapabilities MaxNumPriorityLevelsSupported")
                _ = try value.u16("LLRPCapabilities ClientRequestOpSpecTimeout")
                let roSpecs = try value.u32("LLRPCapabilities MaxNumROSpecs")
                llrp = (flags & 0x40 != 0, flags & 0x08 != 0, roSpecs)
            case LLRPParameterType.regulatoryCapabilities:
                _ = try value.u32("RegulatoryCapabilities CountryCode and CommunicationsStandard")
                while let inner = try value.nextParameter() {
                    guard !inner.isTV, inner.type == LLRPParameterType.uhfBandCapabilities else { continue }
                    try decodeBand(try value.contents(of: inner), power: &power, modes: &modes)
                }
            default:
                continue
            }
        }
        guard var result = caps else { return nil }
        result.transmitPower = power
        result.rfModes = modes
        if let llrp {
            result.canReportBufferFillWarning = llrp.fill
            result.supportsEventAndReportHolding = llrp.holding
            result.maxROSpecs = llrp.maxROSpecs
        }
        return result
    }

    private static func decodeBand(_ band: LLRPBodyReader, power: inout [ReaderCapabilities.TransmitPowerLevel],
                                   modes: inout [UInt32]) throws(LLRPError) {
        var band = band
        while let header = try band.nextParameter() {
            guard !header.isTV else { continue }
            switch header.type {
            case LLRPParameterType.transmitPowerLevelTableEntry:
                var value = try band.contents(of: header)
                let index = try value.u16("TransmitPowerLevelTableEntry Index")
                let level = Int16(bitPattern: try value.u16("TransmitPowerLevelTableEntry TransmitPowerValue"))
                if power.count < maximumPowerRows { power.append(.init(index: index, centiDBm: level)) }
            case LLRPParameterType.c1g2UHFRFModeTable:
                var table = try band.contents(of: header)
                while let entry = try table.nextParameter() {
                    guard !entry.isTV, entry.type == LLRPParameterType.c1g2UHFRFModeTableEntry else { continue }
                    var value = try table.contents(of: entry)
                    let mode = try value.u32("C1G2UHFRFModeTableEntry ModeIdentifier")
                    if modes.count < maximumModes { modes.append(mode) }
                }
            default:
                continue
            }
        }
    }
}
