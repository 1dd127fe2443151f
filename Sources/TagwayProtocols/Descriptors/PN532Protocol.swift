import TagwayDecoders
import TagwayEmulators
import TagwayModel

/// NXP PN532 NFC controllers over HSU, polled for ISO 14443-A cards.
enum PN532Protocol {
    static let id = "pn532-hsu"

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "NXP PN532 NFC over HSU, polled InListPassiveTarget for ISO 14443-A cards",
        driver: .serialBytes(.polled(plan: PN532Frame.pollingPlan, decoder: { PN532Decoder() }, emulator: { _ in PN532Emulator() },
                                             probeQuery: PN532Frame.wakeUp + PN532Frame.command(PN532Frame.Command.getFirmwareVersion))),
        settings: .serial([SettingsSchema.pollIntervalKey]) { settings throws(ProtocolOptionError) in _ = try PN532Frame.pollingPlan(settings) },
        samples: [
            TrafficSample("ACK", .bytes(PN532Frame.ack), frames: [.status(ReaderStatus(code: "ack"))]),
            TrafficSample("4-byte UID", .bytes(PN532Emulator.inListResponse(uids: [TagID(bytes: [0x9E, 0xB3, 0x6E, 0x66])])),
                          frames: [.tag(TagObservation(technology: .iso14443a, id: TagID(bytes: [0x9E, 0xB3, 0x6E, 0x66])))]),
            TrafficSample("no card", .bytes(PN532Emulator.inListResponse(uids: [])), frames: [.status(ReaderStatus(code: "no-tag"))]),
            TrafficSample("firmware version", .bytes(PN532Frame.response(to: 0x02, [0x32, 0x01, 0x06, 0x07])),
                          frames: [.status(ReaderStatus(code: "response", detail: "03:32010607"))]),
            TrafficSample("7-byte UID", .bytes(PN532Emulator.inListResponse(uids: [TagID(bytes: [0x04, 0x7B, 0xCB, 0x51, 0x96, 0x22, 0x80])])),
                          frames: [.tag(TagObservation(technology: .iso14443a, id: TagID(bytes: [0x04, 0x7B, 0xCB, 0x51, 0x96, 0x22, 0x80])))]),
        ],
        // InListPassiveTarget asks for one card, so one is in the field.
        emulation: .tagsInField([FieldTag(id: TagID(bytes: [0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0x80]))]))
}
