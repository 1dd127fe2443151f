/// TagReportData (LLRP 1.0.1): the EPC (EPC-96 as TV 13, or EPCData), then TV fields, then
/// Custom parameters. The decoder is the gateway's hot path at a busy dock: it walks the
/// parameters by index in the frame's own storage, and allocates only the EPC.
enum TagReportCoding {
    /// EPCData's bit count is a u16: an EPC is sent whole up to 8191 bytes (Gen2 EPCs are at
    /// most 62), cut beyond.
    static let maximumEPCBytes = 8191

    static func encode(_ report: TagReport, into writer: inout LLRPByteWriter) {
        let start = writer.open(LLRPParameterType.tagReportData)
        if report.epc.count == 12 {
            writer.tv(LLRPParameterType.epc96)
            writer.append(report.epc)
        } else {
            let epc = Array(report.epc.prefix(maximumEPCBytes))
            writer.parameter(LLRPParameterType.epcData) { w in
                w.u16(UInt16(epc.count * 8))
                w.append(epc)
            }
        }
        if let id = report.roSpecID { writer.tv(LLRPParameterType.roSpecID); writer.u32(id) }
        if let antenna = report.antennaID { writer.tv(LLRPParameterType.antennaID); writer.u16(antenna) }
        if let rssi = report.peakRSSI { writer.tv(LLRPParameterType.peakRSSI); writer.s8(rssi) }
        if let channel = report.channelIndex { writer.tv(LLRPParameterType.channelIndex); writer.u16(channel) }
        switch report.firstSeen {
        case .utc(let us): writer.tv(LLRPParameterType.firstSeenTimestampUTC); writer.u64(us)
        case .uptime(let us): writer.tv(LLRPParameterType.firstSeenTimestampUptime); writer.u64(us)
        case nil: break
        }
        switch report.lastSeen {
        case .utc(let us): writer.tv(LLRPParameterType.lastSeenTimestampUTC); writer.u64(us)
        case .uptime(let us): writer.tv(LLRPParameterType.lastSeenTimestampUptime); writer.u64(us)
        case nil: break
        }
        if let count = report.seenCount { writer.tv(LLRPParameterType.tagSeenCount); writer.u16(count) }
        if let pc = report.pc { writer.tv(LLRPParameterType.c1g2PC); writer.u16(pc) }
        if let phase = report.impinjPhaseAngle {
            let custom = writer.openCustom(vendor: ImpinjExtension.vendor, subtype: ImpinjExtension.rfPhaseAngle)
            writer.u16(phase)
            writer.close(custom)
        }
        if let rssi = report.impinjPeakRSSI {
            let custom = writer.openCustom(vendor: ImpinjExtension.vendor, subtype: ImpinjExtension.peakRSSI)
            writer.s16(rssi)
            writer.close(custom)
        }
        writer.close(start)
    }

    static func decode(_ reader: LLRPBodyReader, at offset: Int) throws(LLRPError) -> TagReport {
        var reader = reader
        var epc: [UInt8]?
        var report = TagReport(epc: [])
        while let header = try reader.nextParameter() {
            let at = header.valueStart
            if header.isTV {
                switch UInt8(truncatingIfNeeded: header.type) {
                case LLRPParameterType.epc96: epc = Array(reader.bytes[at..<(at + 12)])
                case LLRPParameterType.antennaID: report.antennaID = reader.u16(at: at)
                case LLRPParameterType.peakRSSI: report.peakRSSI = Int8(bitPattern: reader.bytes[at])
                case LLRPParameterType.channelIndex: report.channelIndex = reader.u16(at: at)
                case LLRPParameterType.firstSeenTimestampUTC: report.firstSeen = .utc(microseconds: reader.u64(at: at))
                case LLRPParameterType.firstSeenTimestampUptime: report.firstSeen = .uptime(microseconds: reader.u64(at: at))
                case LLRPParameterType.lastSeenTimestampUTC: report.lastSeen = .utc(microseconds: reader.u64(at: at))
                case LLRPParameterType.lastSeenTimestampUptime: report.lastSeen = .uptime(microseconds: reader.u64(at: at))
                case LLRPParameterType.tagSeenCount: report.seenCount = reader.u16(at: at)
                case LLRPParameterType.roSpecID: report.roSpecID = reader.u32(at: at)
                case LLRPParameterType.c1g2PC: report.pc = reader.u16(at: at)
                default: continue // SpecIndex, InventoryParameterSpecID, CRC, AccessSpecID, …
                }
                continue
            }
            switch header.type {
            case LLRPParameterType.epcData:
                // EPCData: a u16 bit count, then the bits, padded to whole bytes.
                var value = try reader.contents(of: header)
                let bits = Int(try value.u16("EPCData EPCLengthBits"))
                epc = try value.bytes((bits + 7) / 8, "EPCData EPC")
            case LLRPParameterType.custom:
                let (vendor, subtype) = try reader.customHeader(header)
                guard vendor == ImpinjExtension.vendor else { continue }
                var value = try reader.contents(of: header)
                _ = try value.u64("Custom vendor and subtype")
                switch subtype {
                case ImpinjExtension.rfPhaseAngle: report.impinjPhaseAngle = try value.u16("ImpinjRFPhaseAngle PhaseAngle")
                case ImpinjExtension.peakRSSI: report.impinjPeakRSSI = Int16(bitPattern: try value.u16("ImpinjPeakRSSI RSSI"))
                default: continue
                }
            default:
                continue // AccessCommandOpSpecResult and other TLVs: skipped by length
            }
        }
        guard let epc else { throw reader.malformed("TagReportData at byte \(offset) has no EPC-96 or EPCData") }
        report.epc = epc
        return report
    }

    /// RO_ACCESS_REPORT: TagReportData parameters, RFSurveyReportData and Custom
    /// (skipped). The count is bounded by the body: each TagReportData is at least 17 bytes.
    static func decodeReport(_ body: LLRPBodyReader) throws(LLRPError) -> [TagReport] {
        var reader = body
        var reports: [TagReport] = []
        reports.reserveCapacity(min(reader.remaining / 17, 1024))
        while let header = try reader.nextParameter() {
            guard !header.isTV, header.type == LLRPParameterType.tagReportData else { continue }
            reports.append(try decode(try reader.contents(of: header), at: header.offset))
        }
        return reports
    }
}
