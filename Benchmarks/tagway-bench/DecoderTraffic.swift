import TagwayDecoders
import TagwayEmulators
import TagwayModel
import TagwayProtocols

/// Realistic traffic for each protocol, made by its emulator, with 1% of bytes flipped so the
/// decoders' resync and checksum paths are part of the measurement.
enum DecoderTraffic {
    /// EM4100 traffic as an RDM6300 sends it, repeating a card while it stays (an ID-12LA sends
    /// it once); every other protocol as its emulator's defaults.
    static let settings: [String: ProtocolSettings] = ["em4100-ascii": ["variant": "rdm6300"]]

    static func make(descriptor: ProtocolDescriptor, bytes: Int, rng: inout SplitMix64) -> [UInt8]? {
        guard let driver = descriptor.serial else { return nil }
        let settings = Self.settings[descriptor.id] ?? [:]
        var emulator = driver.makeEmulator(settings)
        // Four tags shaped like the one the descriptor's emulation shows (EM4100: 5 bytes, PN532:
        // a 7-byte UID, UHF: a 96-bit EPC), differing in the last byte; a scanner scans instead.
        var field: [FieldTag] = []
        if case .tagsInField(let shown) = descriptor.emulation, let template = shown.first?.id.bytes, !template.isEmpty {
            field = (0..<4).map { n in
                FieldTag(id: TagID(bytes: template.dropLast() + [UInt8(n)]), antenna: 1, rssi: -50 - n)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 1024)
        let now = Timestamp(milliseconds: 0)
        let poll = driver.polling(settings)?.poll
        var n = 0
        while out.count < bytes {
            let chunk: [UInt8]
            if field.isEmpty {
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
