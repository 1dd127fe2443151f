import TagwayDecoders
import TagwayEmulators
import TagwayModel

/// EM4100 125 kHz cards read by a passive reader that sends each card as ASCII hex.
enum EM4100Protocol {
    static let id = "em4100-ascii"

    /// ID Innovations readers send a card once per presentation with CR LF before ETX; RDM6300
    /// boards repeat it while it stays, without CR LF. The decoder reads both; the setting says
    /// which one `tagway simulate` plays.
    static func variant(_ settings: ProtocolSettings) throws(ProtocolOptionError) -> EM4100Emulator.Variant {
        switch settings["variant"] {
        case nil, "id-innovations": return .idInnovations
        case "rdm6300": return .rdm6300
        case let other?: throw ProtocolOptionError(key: "variant", value: other, expected: "one of id-innovations, rdm6300")
        }
    }

    static let card = TagID(bytes: [0x01, 0x00, 0xE2, 0x85, 0x0E])

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "EM4100 125 kHz ASCII output (ID Innovations ID-12LA/ID-20LA, RDM6300)",
        driver: .serialBytes(SerialDriver(
            makeDecoder: { settings throws(ProtocolOptionError) in
                _ = try variant(settings)
                return EM4100Decoder()
            },
            makeEmulator: { settings in EM4100Emulator(variant: (try? variant(settings)) ?? .idInnovations) })),
        settings: .serial([.init("variant", expects: "id-innovations or rdm6300 (which reader tagway simulate plays)")]) { settings throws(ProtocolOptionError) in
            _ = try variant(settings)
        },
        samples: [
            // The datasheet's example card (checksum 68), in both framings.
            TrafficSample("ID-12LA frame", .bytes(EM4100Emulator.frame(card, variant: .idInnovations)),
                          frames: [.tag(TagObservation(technology: .em4100, id: card))]),
            TrafficSample("RDM6300 frame", .bytes(EM4100Emulator.frame(card, variant: .rdm6300)),
                          frames: [.tag(TagObservation(technology: .em4100, id: card))]),
        ],
        emulation: .tagsInField([FieldTag(id: TagID(bytes: [0x1A, 0x00, 0xB3, 0xC4, 0xD5]))]))
}
