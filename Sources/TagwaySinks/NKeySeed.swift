import Crypto
import Foundation
import Synchronization

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

/// The closure object of the NKey signature callback.
///
/// libnats 3.4.1 (Debian 12's) sends no signature at all when the signature's first byte is 0,
/// and the server refuses the login: one connect in 256, at random, since the server's nonce
/// changes each time (seen as `Authorization Violation` with a valid seed; the CONNECT carried
/// `nkey` without `sig`). Ed25519 signatures are deterministic, so nothing here can avoid such a
/// signature; the signer notes that it made one, and the connect tries again with a new nonce
/// (see `NATSClient.connect`), instead of a refused login waiting for the sink's backoff.
final class NKeySigner: Sendable {
    let seed: NKeySeed
    /// The user JWT of a `.creds` login, sent with the signature; nil for a bare NKey.
    let jwt: String?
    private let droppedSignatures = Mutex(0)

    init(seed: NKeySeed, jwt: String? = nil) {
        self.seed = seed
        self.jwt = jwt
    }

    /// The signer of an NKey or `.creds` login (nil for the others, and for a seed that is not a
    /// user seed, which `NATSClient.configure` reports); a `.creds` file is read now.
    static func make(for login: JetStreamOptions.Login?) throws(NATSCredentials.Problem) -> NKeySigner? {
        switch login {
        case .nkeySeed(let text): return NKeySeed(text).map { NKeySigner(seed: $0) }
        case .creds(let path):
            let credentials = try NATSCredentials(file: path)
            return NKeySigner(seed: credentials.seed, jwt: credentials.jwt)
        default: return nil
        }
    }

    /// The signature of the server's `nonce`, noting whether libnats will drop it.
    func sign(nonce: [UInt8]) -> [UInt8]? {
        guard let signed = seed.sign(nonce) else { return nil }
        if signed.first == 0 { droppedSignatures.withLock { $0 += 1 } }
        return signed
    }

    /// How many signatures so far began with a zero byte (libnats sent none of them).
    var dropped: Int { droppedSignatures.withLock { $0 } }
}
