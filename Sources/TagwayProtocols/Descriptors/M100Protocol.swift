import TagwayDecoders
import TagwayEmulators
import TagwayModel

/// Magic RF M100 UHF modules, polled with single inventories.
enum M100Protocol {
    static let id = "magicrf-m100"
    static let epc = TagID(bytes: [0xE2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x05, 0x4E, 0x3A, 0x1B, 0x2C])

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "Magic RF M100 / YRM100 / JRD-100 UHF module, polled single inventory",
        driver: .serialBytes(.polled(plan: M100Frame.pollingPlan, decoder: { M100Decoder() }, emulator: { _ in M100Emulator() },
                                             probeQuery: M100Frame.hardwareVersionQuery)),
        settings: .serial([SettingsSchema.pollIntervalKey]) { settings throws(ProtocolOptionError) in _ = try M100Frame.pollingPlan(settings) },
        samples: [
            // The inventory notification example of the M100 user manual.
            TrafficSample("manual inventory notification",
                          .bytes([0xBB, 0x02, 0x22, 0x00, 0x11, 0xC9, 0x34, 0x00, 0x30, 0x75, 0x1F, 0xEB, 0x70, 0x5C, 0x59, 0x04,
                                  0xE3, 0xD5, 0x0D, 0x70, 0x3A, 0x76, 0xEF, 0x7E]),
                          frames: [.tag(TagObservation(technology: .epcGen2, id: TagID(bytes: [0x30, 0x75, 0x1F, 0xEB, 0x70, 0x5C, 0x59, 0x04, 0xE3, 0xD5, 0x0D, 0x70]), rssi: -55, pc: 0x3400))]),
            TrafficSample("emulated notification", .bytes(M100Emulator.notification(for: FieldTag(id: epc, rssi: -61))),
                          frames: [.tag(TagObservation(technology: .epcGen2, id: epc, rssi: -61, pc: 0x3000))]),
            TrafficSample("no tag", .bytes(M100Frame.noTagResponse), frames: [.status(ReaderStatus(code: "no-tag"))]),
            TrafficSample("other response", .bytes(M100Frame.frame(.response, 0xB7, [0x07, 0xD0])),
                          frames: [.status(ReaderStatus(code: "response", detail: "B7:07D0"))]),
        ],
        emulation: .tagsInField([FieldTag(id: epc, rssi: -50), FieldTag(id: TagID(bytes: [0x30, 0x05, 0xFB, 0x63, 0xAC, 0x1F, 0x38, 0x41, 0xEC, 0x88, 0x04, 0x67]), rssi: -60)]))
}
