import TagwayDecoders
import TagwayEmulators
import TagwayModel

/// One target per serial protocol in `ProtocolRegistry`. Input: one byte choosing how the
/// stream is cut (0 = whole, else chunks of that many bytes, as a port delivers them), one byte
/// choosing protocol options where the protocol has some, then the byte stream.
enum SerialDecoderTargets {
    static var all: [FuzzTarget] {
        ProtocolRegistry.all.map { descriptor in
            FuzzTarget(
                name: descriptor.id, summary: descriptor.summary,
                run: { run(descriptor, $0) },
                seeds: { seeds(for: descriptor.id).map { [0, 0] + $0 } + seeds(for: descriptor.id).map { [3, 0] + $0 } })
        }
    }

    /// Option sets each protocol is fuzzed with; the first is its default.
    static func optionChoices(_ id: String) -> [ProtocolOptions] {
        switch id {
        case "barcode-serial":
            return [[:], ["terminator": "cr", "aim": "yes"], ["terminator": "lf", "aim": "no"],
                    ["terminator": "crlf", "maxLength": "16"], ["maxLength": "1"]]
        default:
            return [[:]]
        }
    }

    static func run(_ descriptor: ProtocolDescriptor, _ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let chunk = Int(input.byte())
        let options = input.pick(optionChoices(descriptor.id))
        guard let decoder = try? descriptor.makeDecoder(options) else {
            fuzzInvariant(false, "the fuzzed options of \(descriptor.id) are valid: \(options)")
            return
        }
        var assembler = FrameAssembler(decoder)
        let limit = 2 * decoder.maximumFrameLength
        let stream = input.remaining
        var start = stream.startIndex
        while start < stream.endIndex {
            let end = chunk == 0 ? stream.endIndex : min(start + chunk, stream.endIndex)
            for frame in assembler.feed(stream[start..<end]) { check(frame) }
            fuzzInvariant(assembler.bufferedByteCount <= limit,
                          "\(descriptor.id) holds \(assembler.bufferedByteCount) bytes, limit \(limit)")
            start = end
        }
        assembler.reset()
        fuzzInvariant(assembler.bufferedByteCount == 0, "reset leaves nothing buffered")
    }

    private static func check(_ frame: ReaderFrame) {
        _ = frame.hashValue
        if case .tag(let read) = frame { fuzzInvariant(!read.id.bytes.isEmpty, "a tag read has an id") }
    }

    /// What each reader really sends: the emulator's output for a few tags and scans.
    static func seeds(for id: String) -> [[UInt8]] {
        let tags = id == "pn532-hsu"
            ? [TagID(hex: "04A1B2C3D4E580")!, TagID(hex: "CAFEBABE")!]
            : [TagID(hex: "3005FB63AC1F3841EC880467")!, TagID(hex: "E280689400005011E0CE2A08")!, TagID(hex: "300833B2DDD9014000000000")!]
        let field = tags.enumerated().map { FieldTag(id: $0.element, antenna: $0.offset + 1, rssi: -40 - $0.offset) }
        let now = Timestamp(milliseconds: 1_000)
        switch id {
        case "em4100-ascii":
            let card = TagID(hex: "0100E2850E")!
            let long = EM4100Emulator.frame(card, variant: .idInnovations)
            let short = EM4100Emulator.frame(card, variant: .rdm6300)
            return [long, short, long + short, short + long]
        case "barcode-serial":
            let scans = [BarcodeScan(symbology: "]C1", data: Array("0195012345678903\u{1D}10ABC".utf8)),
                         BarcodeScan(symbology: nil, data: Array("HELLO".utf8))]
            return [BarcodeScannerEmulator.Suffix.crlf, .cr, .lf].flatMap { suffix in
                scans.map { BarcodeScannerEmulator.frame($0, suffix: suffix, sendsAIM: $0.symbology != nil) }
            }
        default:
            guard let descriptor = ProtocolRegistry.descriptor(for: id),
                  let plan = descriptor.polling([:]) else { return [] }
            var emulator: any ReaderEmulator
            switch id {
            case "magicrf-m100": emulator = M100Emulator()
            case "pn532-hsu": emulator = PN532Emulator()
            case "thingmagic-mercury": emulator = MercuryEmulator()
            default: return []
            }
            var answers: [UInt8] = []
            for command in plan.startup { answers += emulator.respond(to: command, field: field, now: now) }
            let empty = emulator.respond(to: plan.poll, field: [], now: now)
            let one = emulator.respond(to: plan.poll, field: [field[1]], now: now)
            let all = emulator.respond(to: plan.poll, field: field, now: now)
            return [answers, empty, one, all, answers + one + all].filter { !$0.isEmpty }
        }
    }
}
