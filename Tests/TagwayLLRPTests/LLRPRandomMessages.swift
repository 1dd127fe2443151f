import TagwayLLRP
import TagwayModel

/// Seeded random messages in the model's canonical form (what `LLRPCodec` promises to
/// round-trip): a failure names its seed.
struct LLRPRandomMessages {
    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func bool() -> Bool { int(0...1) == 1 }
    mutating func u16() -> UInt16 { UInt16(truncatingIfNeeded: generator.next()) }
    mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: generator.next()) }
    mutating func maybe<T>(_ make: (inout Self) -> T) -> T? { bool() ? make(&self) : nil }

    mutating func timestamp() -> LLRPTimestamp {
        bool() ? .utc(microseconds: generator.next()) : .uptime(microseconds: generator.next())
    }

    mutating func text() -> String {
        let words = ["", "ok", "Antenna 2 disconnected", "Ungültiger Wert", "温度过高", "🙂 ROSpec"]
        return words[int(0...(words.count - 1))]
    }

    mutating func status() -> LLRPStatus {
        let codes: [UInt16] = [0, 100, 101, 103, 109, 110, 201, 207, 301, 401]
        var blames: [String] = []
        for _ in 0..<int(0...3) {
            if bool() { blames.append("field \(u16() % 20): \(LLRPStatusCode(rawValue: codes[int(0...9)]))") }
            blames.append("parameter \(int(128...1023)): \(LLRPStatusCode(rawValue: codes[int(0...9)]))")
        }
        if bool() { blames.append("field \(u16() % 20): \(LLRPStatusCode(rawValue: codes[int(0...9)]))") }
        return LLRPStatus(code: LLRPStatusCode(rawValue: codes[int(0...9)]), errorDescription: text(),
                          detail: blames.isEmpty ? nil : blames.joined(separator: "; "))
    }

    mutating func tag() -> TagReport {
        let epcLength = [12, 12, 12, 16, 8, 2, 62][int(0...6)]
        return TagReport(epc: (0..<epcLength).map { _ in UInt8(truncatingIfNeeded: generator.next()) },
                         pc: maybe { $0.u16() }, antennaID: maybe { $0.u16() }, peakRSSI: maybe { Int8(truncatingIfNeeded: $0.int(-128...127)) },
                         channelIndex: maybe { $0.u16() }, firstSeen: maybe { $0.timestamp() }, lastSeen: maybe { $0.timestamp() },
                         seenCount: maybe { $0.u16() }, roSpecID: maybe { $0.u32() }, impinjPhaseAngle: maybe { $0.u16() },
                         impinjPeakRSSI: maybe { Int16(bitPattern: $0.u16()) })
    }

    mutating func spec() -> ROSpec {
        let antennas = (0..<int(1...8)).map { index in ROSpec.Antenna(id: UInt16(index + 1), transmitPowerIndex: maybe { $0.u16() }) }
        let session: UInt8? = maybe { UInt8($0.int(0...3)) }
        return ROSpec(id: u32(), priority: UInt8(int(0...7)), antennas: antennas, modeIndex: maybe { $0.u16() }, session: session,
                      tagPopulation: session == nil ? 32 : u16(), reportEveryTags: u16(),
                      content: ROSpec.ReportContent(rawValue: u16() & 0x0FFF), impinjSearchMode: maybe { $0.u16() },
                      impinjPhaseAndRSSI: bool())
    }

    mutating func capabilities() -> ReaderCapabilities {
        ReaderCapabilities(maxAntennas: UInt16(int(0...80)), hasUTCClock: bool(), manufacturer: u32(), model: u32(), firmware: text(),
                           transmitPower: (0..<int(0...100)).map { _ in .init(index: u16(), centiDBm: Int16(bitPattern: u16())) },
                           rfModes: (0..<int(0...10)).map { _ in u32() }, canReportBufferFillWarning: bool(),
                           supportsEventAndReportHolding: bool(), maxROSpecs: u32())
    }

    mutating func event() -> ReaderEventNotification {
        ReaderEventNotification(timestamp: timestamp(),
                                connectionAttempt: maybe { ReaderEventNotification.ConnectionAttempt(rawValue: UInt16($0.int(0...4))) ?? .success },
                                antennaEvents: (0..<int(0...3)).map { _ in .init(antennaID: u16(), connected: bool()) },
                                connectionClosed: bool(), readerException: maybe { $0.text() },
                                reportBufferFill: maybe { UInt8($0.int(0...100)) }, reportBufferOverflow: bool())
    }

    mutating func configuration() -> ReaderConfiguration {
        var events: [ReaderConfiguration.EventType: Bool] = [:]
        for event in ReaderConfiguration.EventType.allCases where bool() { events[event] = bool() }
        return ReaderConfiguration(resetToFactoryDefault: bool(), keepaliveMilliseconds: maybe { $0.u32() }, events: events,
                                   holdEventsAndReportsUponReconnect: maybe { $0.bool() })
    }

    mutating func message() -> LLRPMessage {
        let requests: [LLRPMessageType] = [.setReaderConfig, .closeConnection, .addROSpec, .deleteROSpec, .startROSpec, .stopROSpec,
                                           .enableROSpec, .disableROSpec, .customMessage]
        switch int(0...17) {
        case 0: return .getReaderCapabilities
        case 1: return .setReaderConfig(configuration())
        case 2: return .deleteROSpec(roSpecID: u32())
        case 3: return .addROSpec(spec())
        case 4: return [.enableROSpec(roSpecID: u32()), .startROSpec(roSpecID: u32()), .stopROSpec(roSpecID: u32())][int(0...2)]
        case 5: return [.enableEventsAndReports, .keepaliveAck, .closeConnection, .keepalive][int(0...3)]
        case 6: return .impinjEnableExtensions
        case 7: return .readerEventNotification(event())
        case 8: return .getReaderCapabilitiesResponse(status(), maybe { $0.capabilities() })
        case 9: return .response(to: requests[int(0...(requests.count - 1))], status())
        case 10, 11, 12: return .roAccessReport((0..<int(0...20)).map { _ in tag() })
        case 13: return .errorMessage(status())
        default: return .unsupported(LLRPMessageType(rawValue: [2, 12, 25, 40, 50, 60, 1000][int(0...6)]))
        }
    }
}
