import TagwayDecoders
import TagwayEmulators
import TagwayLLRP
import TagwayModel

/// Fixed UHF readers over LLRP (EPCglobal 1.0.1/1.1, TCP port 5084): a conversation, not a
/// decoder. The gateway's client configures the reader from scratch on every connection and
/// reads its reports; the settings say what to configure.
enum LLRPProtocol {
    static let id = "llrp"
    static let epcA = TagID(bytes: [0x30, 0x14, 0x2A, 0x6B, 0x48, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x01])
    static let epcB = TagID(bytes: [0xE2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x05, 0x4E, 0x3A, 0x1B, 0x2C])

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "LLRP 1.0.1/1.1 over TCP: fixed UHF readers (Impinj Speedway/R700, Zebra FX7500/FX9600 and others)",
        driver: .llrpMessages(ConversationDriver(
            makeConversation: { settings, context throws(ProtocolOptionError) in
                LLRPClientConversation(plan: try LLRPPlan(settings: settings, antennas: context.antennas,
                                                          transmitPowerDBm: context.transmitPowerDBm))
            },
            makeEmulator: { _ in LLRPReaderEmulator() },
            defaultPort: 5084)),
        settings: SettingsSchema(keys: LLRPPlan.settingKeys.map { SettingsSchema.Key($0.name, expects: $0.expects) }) { settings in
            do throws(ProtocolOptionError) {
                _ = try LLRPPlan(settings: settings)
                return nil
            } catch {
                return SettingProblem(error)
            }
        },
        samples: samples,
        emulation: .tagsInField([FieldTag(id: epcA, antenna: 1, rssi: -52), FieldTag(id: epcB, antenna: 2, rssi: -61)]))

    /// The reader's microseconds at `milliseconds` after the epoch (the replay receives at 1 s).
    static func utc(_ milliseconds: UInt64) -> LLRPTimestamp { .utc(microseconds: milliseconds * 1000) }

    static let samples: [TrafficSample] = [
        TrafficSample(
            "RO_ACCESS_REPORT of two tags, one with Impinj peak RSSI",
            .bytes(LLRPCodec.encode(.roAccessReport([
                TagReport(epc: epcA.bytes, pc: 0x3000, antennaID: 1, peakRSSI: -52, firstSeen: utc(900), lastSeen: utc(990), seenCount: 4),
                TagReport(epc: epcB.bytes, pc: 0x3000, antennaID: 2, peakRSSI: -61, lastSeen: utc(995), impinjPeakRSSI: -6072),
            ]), id: 7)),
            // The report arrived 5 ms after its last read: that least delay is the skew's error.
            frames: [
                .tag(TagObservation(technology: .epcGen2, id: epcA, antenna: 1, rssi: -52, pc: 0x3000, seenAt: Timestamp(milliseconds: 995))),
                .tag(TagObservation(technology: .epcGen2, id: epcB, antenna: 2, rssi: -61, pc: 0x3000, seenAt: Timestamp(milliseconds: 1_000))),
            ]),
        TrafficSample(
            "a keepalive and an antenna event carry no read",
            .bytes(LLRPCodec.encode(.keepalive, id: 8) + LLRPCodec.encode(.readerEventNotification(ReaderEventNotification(
                timestamp: utc(999), antennaEvents: [.init(antennaID: 2, connected: false)])), id: 9)),
            frames: []),
        TrafficSample(
            "a reader clock hours ahead: reads get the time they arrived",
            .bytes(LLRPCodec.encode(.roAccessReport([
                TagReport(epc: epcA.bytes, antennaID: 1, peakRSSI: -70, lastSeen: utc(990 + 3 * 3_600_000)),
            ]), id: 10)),
            frames: [.tag(TagObservation(technology: .epcGen2, id: epcA, antenna: 1, rssi: -70, seenAt: Timestamp(milliseconds: 1_000)))]),
    ]
}
