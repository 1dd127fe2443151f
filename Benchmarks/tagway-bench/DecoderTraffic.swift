import TagwayDecoders
import TagwayEmulators
import TagwayModel
import TagwaySimulator

/// Realistic traffic for each protocol, made by its emulator, with 1% of bytes flipped so the
/// decoders' resync and checksum paths are part of the measurement.
enum DecoderTraffic {
    static func profile(for protocolID: String) -> String? {
        ["em4100-ascii": "generic/rdm6300-ch340", "barcode-serial": "generic/serial-barcode", "magicrf-m100": "magicrf/m100",
         "pn532-hsu": "elechouse/pn532-hsu", "thingmagic-mercury": "thingmagic/m6e-nano"][protocolID]
    }

    static func make(descriptor: ProtocolDescriptor, profileID: String, bytes: Int, rng: inout SplitMix64) -> [UInt8]? {
        guard var emulator = try? EmulatorFactory.make(protocolID: descriptor.id, profileID: profileID, settings: [:]) else { return nil }
        let field = (0..<4).map { n in
            FieldTag(id: descriptor.id == "em4100-ascii" ? TagID(bytes: [0x01, 0x00, 0xE2, 0x85, UInt8(n)])
                     : descriptor.id == "pn532-hsu" ? TagID(bytes: [0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, UInt8(n)])
                     : TagID(bytes: [0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, UInt8(n)]),
                      antenna: 1, rssi: -50 - n)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 1024)
        let now = Timestamp(milliseconds: 0)
        let poll = descriptor.polling([:])?.poll
        var n = 0
        while out.count < bytes {
            let chunk: [UInt8]
            if descriptor.id == "barcode-serial" {
                chunk = emulator.scan(BarcodeScan(symbology: "]C1", data: Array("\u{1D}0109506000134352\u{1D}21ASSET\(n)".utf8)))
            } else if let poll {
                chunk = emulator.respond(to: poll, field: field, now: now)
            } else {
                chunk = emulator.unsolicited(field: field, now: now)
            }
            guard !chunk.isEmpty else { return nil }
            out += chunk
            n += 1
        }
        for _ in 0..<(out.count / 100) {
            out[Int(rng.next() % UInt64(out.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
        }
        return out
    }
}
