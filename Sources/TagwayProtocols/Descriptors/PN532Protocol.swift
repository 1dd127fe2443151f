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
            TrafficSample("4-byte UID", .bytes(PN532Emulator.inListResponse(uids: [TagID(hex: "9EB36E66")!])),
                          frames: [.tag(TagObservation(technology: .iso14443a, id: TagID(hex: "9EB36E66")!))]),
            TrafficSample("no card", .bytes(PN532Emulator.inListResponse(uids: [])), frames: [.status(ReaderStatus(code: "no-tag"))]),
            TrafficSample("firmware version", .bytes(PN532Frame.response(to: 0x02, [0x32, 0x01, 0x06, 0x07])),
                          frames: [.status(ReaderStatus(code: "response", detail: "03:32010607"))]),
            TrafficSample("7-byte UID", .bytes(PN532Emulator.inListResponse(uids: [TagID(hex: "047BCB51962280")!])),
                          frames: [.tag(TagObservation(technology: .iso14443a, id: TagID(hex: "047BCB51962280")!))]),
        ],
        // InListPassiveTarget asks for one card, so one is in the field.
        emulation: .tagsInField([FieldTag(id: TagID(hex: "04A1B2C3D4E580")!)]))
}
