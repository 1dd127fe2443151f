import Crypto
import Foundation

/// A NATS user NKey seed (`SU…`): base32 of a two-byte prefix, the Ed25519 seed and a CRC-16.
/// libnats asks for the public key next to a signing callback, and derives neither, so the
/// sink derives the public key (`U…`) here and signs the server's nonce with the seed.
struct NKeySeed: Sendable {
    /// The 32-byte Ed25519 seed (the key is made from it for each signature: swift-crypto's
    /// key type is not Sendable, and a signature is made once per connect).
    let raw: [UInt8]
    /// The user's public key, as the server's configuration names it.
    let publicKey: String

    init?(_ text: String) {
        guard let raw = Base32.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 36 else { return nil }
        let body = Array(raw[0..<34])
        let crc = UInt16(raw[34]) | UInt16(raw[35]) << 8
        // Prefix: 'S' (18 << 3) in the first five bits, then the key type ('U', 20 << 3) in the next five.
        guard CRC16.xmodem(body) == crc, body[0] & 0xF8 == 18 << 3 else { return nil }
        let type = (body[0] & 0x07) << 5 | (body[1] & 0xF8) >> 3
        guard type == 20 << 3, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: body[2..<34]) else { return nil }
        self.raw = Array(body[2..<34])
        var bytes = [UInt8(20 << 3)] + Array(key.publicKey.rawRepresentation)
        let sum = CRC16.xmodem(bytes)
        bytes += [UInt8(sum & 0xFF), UInt8(sum >> 8)]
        publicKey = Base32.encode(bytes)
    }

    func sign(_ nonce: [UInt8]) -> [UInt8]? {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else { return nil }
        return (try? key.signature(for: nonce)).map { Array($0) }
    }
}

/// RFC 4648 base32 without padding, as NKeys are written.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for c in text.utf8 {
            guard let value = alphabet.firstIndex(of: c) else { return nil }
            buffer = buffer << 5 | value
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return out
    }
}

/// CRC-16/XMODEM (polynomial 0x1021), the NKey checksum.
enum CRC16 {
    static func xmodem(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}
