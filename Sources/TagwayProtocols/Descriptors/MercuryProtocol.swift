import TagwayDecoders
import TagwayEmulators
import TagwayModel

/// ThingMagic Mercury modules, polled with Read Tag ID Single.
enum MercuryProtocol {
    static let id = "thingmagic-mercury"
    static let epc = TagID(bytes: [0xE2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x05, 0x4E, 0x3A, 0x1B, 0x2C])

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "ThingMagic Mercury serial (M6e, M6e Nano, M7e), polled Read Tag ID Single",
        driver: .serialBytes(.polled(plan: MercuryFrame.pollingPlan, decoder: { MercuryDecoder() }, emulator: { _ in MercuryEmulator() },
                                             probeQuery: MercuryFrame.getVersion)),
        settings: .serial([
            SettingsSchema.pollIntervalKey,
            .init("readTimeoutMs", expects: "an integer (milliseconds the module searches for a tag per poll)"),
        ]) { settings throws(ProtocolOptionError) in _ = try MercuryFrame.pollingPlan(settings) },
        samples: [
            TrafficSample("tag with RSSI and antenna",
                          .bytes(MercuryEmulator.readTagSingleResponse(
                              FieldTag(id: epc, antenna: 1, rssi: -48), option: 0x10, metadata: [.rssi, .antenna],
                              now: Timestamp(milliseconds: 0))),
                          frames: [.tag(TagObservation(technology: .epcGen2, id: epc, antenna: 1, rssi: -48))]),
            TrafficSample("no tag", .bytes(MercuryFrame.response(0x21, status: 0x0400)), frames: [.status(ReaderStatus(code: "no-tag"))]),
            TrafficSample("tag without metadata",
                          .bytes(MercuryEmulator.readTagSingleResponse(FieldTag(id: epc), option: 0x00, metadata: [], now: Timestamp(milliseconds: 0))),
                          frames: [.tag(TagObservation(technology: .epcGen2, id: epc))]),
            TrafficSample("set protocol answer", .bytes(MercuryFrame.response(0x93)), frames: [.status(ReaderStatus(code: "response", detail: "93"))]),
            TrafficSample("invalid parameter", .bytes(MercuryFrame.response(0x21, status: 0x0105)),
                          frames: [.status(ReaderStatus(code: "error", detail: "21:0105"))]),
        ],
        // Read Tag ID Single answers with the strongest tag only.
        emulation: .tagsInField([FieldTag(id: epc, antenna: 1, rssi: -48)]))
}
